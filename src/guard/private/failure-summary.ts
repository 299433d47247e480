/**
 * The first error of a failed synthesis: one line per finding (each message's headline), so that a
 * person reads the whole list before the details that follow, one per resource (issue #19 §4).
 */
export function summaryOf(headlines: string[]): string {
  const count = headlines.length === 1 ? '1 finding' : `${headlines.length} findings`;
  return `cdk-safe-lambda: ${count} of the $LATEST guard fail synthesis (one line each; the details follow, at each resource):\n${headlines.map((h) => `  - ${h}`).join('\n')}`;
}

/** A message's first line: its headline. */
export function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end < 0 ? message : message.slice(0, end);
}
