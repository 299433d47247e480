import { Reference } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The references met while rendering whole template entries (`_toCloudFormation()`), per rendered
 * construct: every `Reference` the renderer saw as a string (not one encoded as a number or a list),
 * in the order it met them, whether or not its caller picked it.
 *
 * Why (issue #16 §8): the migration renders every resource of the app for the guard's findings, then
 * again to find what other stacks and outputs read (`ClientHeld`). Nothing changes the tree between the
 * two, so the second reads what the first met instead of rendering the app once more.
 */
export class ObservedReferences {
  private readonly met = new Map<IConstruct, readonly Reference[]>();

  /** The references met in the entry of `scope`, or undefined when it was not rendered (or failed to). */
  public of(scope: IConstruct): readonly Reference[] | undefined {
    return this.met.get(scope);
  }

  /** @internal the renderer's report of one entry it rendered whole */
  public _record(scope: IConstruct, references: readonly Reference[]): void {
    if (!this.met.has(scope)) {
      this.met.set(scope, references);
    }
  }
}

let current: ObservedReferences | undefined;

/** Runs `fn`, recording in `observer` the references of every entry `resolveRecordingReferences` renders whole. */
export function observingReferences<T>(observer: ObservedReferences, fn: () => T): T {
  const previous = current;
  current = observer;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** The observer of the renders under way, if any. */
export function currentReferenceObserver(): ObservedReferences | undefined {
  return current;
}
