import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';

/** The extensions `NodejsFunction` tries for its default entry, in its order. */
const EXTENSIONS = ['.ts', '.js', '.mjs', '.mts', '.cts', '.cjs'];

/**
 * The default entry of a NodejsFunction-based construct, found as `NodejsFunction` finds it, but from
 * the file that called `constructorName`: NodejsFunction itself looks at the frame after its own
 * constructor, which is inside this library once a constructor here creates it.
 *
 * @param constructorName the class whose caller defines the function (`SafeNodejsFunction`)
 * @param id the construct ID the handler file is named after (`<file>.<id>.ts`)
 */
export function callerEntry(owner: IConstruct, constructorName: string, id: string): string {
  const file = callerFile(constructorName);
  if (!file) {
    throw new Error(`${owner.node.path}: entry is not set, and the file that creates the ${constructorName} is not on the call stack `
      + '(for example when called from another language through jsii). Fix: set entry to the handler\'s file.');
  }
  const base = file.slice(0, file.length - path.extname(file).length);
  const tried = EXTENSIONS.map((ext) => `${base}.${id}${ext}`);
  const found = tried.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`${owner.node.path}: entry is not set, and none of the default entry files exists: ${tried.join(', ')}. `
      + 'Fix: set entry to the handler\'s file, or create one of those files.');
  }
  return found;
}

/**
 * The file of the frame that called the constructor named `constructorName`: a user's subclass
 * calls it from its own file, which is then the defining file, as for NodejsFunction.
 */
function callerFile(constructorName: string): string | undefined {
  const original = Error.prepareStackTrace;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.prepareStackTrace = (_, stack) => stack;
    sites = (new Error().stack as unknown as NodeJS.CallSite[] | undefined) ?? [];
  } finally {
    Error.prepareStackTrace = original;
  }
  const index = sites.findIndex((site) => site.getFunctionName() === constructorName);
  return index >= 0 ? sites[index + 1]?.getFileName() ?? undefined : undefined;
}
