/** A problem with the input (unreadable file, invalid JSON/YAML, no Resources): exit code 2, one line, no stack trace. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
