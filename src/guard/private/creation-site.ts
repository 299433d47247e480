import { CfnResource } from 'aws-cdk-lib';

/**
 * Where the user's code created a resource (`/app/lib/stack.ts:42:5`), from the stack trace aws-cdk-lib
 * records (`creationStack`: by default on newer releases, with `CDK_DEBUG=true` on older ones), so that an
 * error in `FailureMode.ERROR` points at the code as a warning does (issue #19 §4). The first frame
 * outside `node_modules` and Node's internals; `undefined` when nothing was recorded.
 */
export function creationSite(resource: CfnResource): string | undefined {
  let frames: string[];
  try {
    frames = resource.creationStack ?? [];
  } catch {
    return undefined;
  }
  for (const frame of frames) {
    const location = /\(([^()]+:\d+:\d+)\)\s*$/.exec(frame)?.[1] ?? /^(?:at\s+)?([^\s()]+:\d+:\d+)$/.exec(frame.trim())?.[1];
    if (location && !/node_modules|^node:|^internal\//.test(location)) {
      return location;
    }
  }
  return undefined;
}
