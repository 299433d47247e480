/** The value at `path` (`Properties.Targets[0].Arn`) in a resolved template entry. */
export function valueAt(entry: unknown, path: string): unknown {
  let value: any = entry;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (value === undefined || value === null) {
      return undefined;
    }
    value = value[part];
  }
  return value;
}
