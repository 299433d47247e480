/** The actions that invoke a function (`lambda:InvokeAsync` is the deprecated asynchronous API). */
const INVOKE_ACTIONS = ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl', 'lambda:InvokeAsync'];

/**
 * Whether an action (an IAM `Action`, a Lambda permission's `Action`: a string or a list, with
 * wildcards) allows invoking a function. A value that is not a literal (a parameter, an intrinsic) may
 * be anything: it counts as allowing it.
 */
export function allowsInvoke(action: unknown): boolean {
  const actions = Array.isArray(action) ? action : [action];
  return actions.some((a) => typeof a !== 'string' || INVOKE_ACTIONS.some((invoke) => matches(a, invoke)));
}

function matches(pattern: string, action: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
}

/** Whether an IAM `NotAction` (it allows every action it does not list) leaves an invoking action allowed. */
export function notActionAllowsInvoke(notAction: unknown): boolean {
  const actions = Array.isArray(notAction) ? notAction : [notAction];
  if (actions.some((a) => typeof a !== 'string')) {
    return true;
  }
  return INVOKE_ACTIONS.some((invoke) => !actions.some((a) => matches(a, invoke)));
}
