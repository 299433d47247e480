import { Landing } from './qualified-name-landings';

/** Why a qualified name is wrong where it landed, and what to use instead. */
export interface Misplacement {
  /** What the place is: `a metric's FunctionName dimension`. */
  readonly place: string;
  readonly why: string;
  /** The fix after `.function.functionName`: `, or the metric helpers ...`. */
  readonly alternative: string;
}

const DIMENSION: Misplacement = {
  place: 'a metric\'s FunctionName dimension',
  why: 'Lambda publishes its metrics under FunctionName=<bare name> (and, per alias, FunctionName=<bare name>, Resource=<name>:live), '
    + 'so this metric matches no data: its graph stays empty and an alarm on it never fires.',
  alternative: ' for the dimension, or its metric helpers (`metricErrors()`, `metricDuration()`, `metric(name)`...), '
    + 'which render FunctionName=<bare name>, Resource=<name>:live',
};

const LOG_GROUP: Misplacement = {
  place: 'a log group name or ARN',
  why: 'Lambda writes to /aws/lambda/<bare name>, and a colon is not allowed in a log group name: '
    + 'this names a log group nothing writes to (a filter, query or policy on it matches nothing).',
  alternative: ' for the bare name, or `.function.logGroup` for its log group',
};

const NAME: Misplacement = {
  place: 'a name',
  why: 'the name now contains a colon, which most services refuse in a name, and differs from the one a plain function gave '
    + '(a changed name replaces the resource).',
  alternative: ' for the bare name',
};

const OUTPUT: Misplacement = {
  place: 'the output value',
  why: 'an output that showed the bare name now shows another value, and whatever reads it gets `name:live`.',
  alternative: ' for the bare name (the qualified ARN, `.functionArn`, is a fine output)',
};

const EXPORT: Misplacement = {
  place: 'the export name',
  why: 'the export name changes, so every stack that imports the old name breaks.',
  alternative: ' for the bare name',
};

/** Free text (a function name there is only words), and template sections that are never a name. */
const FREE_TEXT_KEY = /(Description|Comment|Title|Label|Message|Markdown|Text|Tags?|Metadata)$/;
/** Keys whose value is the function to invoke or configure: Lambda resolves `name:live` there. */
const INVOKES_KEY = /(Function|Lambda|Target|Task|Handler|Hook|Destination)[A-Za-z]*Names?$/;
/** Maps whose keys the user chooses (`Environment.Variables.TABLE_NAME`): their keys say nothing of the value's role. */
const USER_KEYED_MAP = /^(Variables|DefinitionSubstitutions|Parameters|Substitutions|Tags)$/;
const LOG_GROUP_KEY = /LogGroup/i;
/** `/aws/lambda/<name>` and a log group ARN `arn:...:log-group:<name>` (in any string, e.g. an IAM resource). */
const LOG_GROUP_BEFORE = /(\/aws\/lambda(-insights)?\/|:log-group:[^:]*)$/;
/** In a dashboard body (JSON): a metric row `[..., "FunctionName", "<value>"]`, and a log query's `SOURCE '<log group>'`. */
const DASHBOARD_DIMENSION_BEFORE = /"FunctionName"\s*[,:]\s*"$/;
const DASHBOARD_LOG_SOURCE_BEFORE = /SOURCE\s+'[^']*$/;

/**
 * What is wrong with the qualified name at `landing`, in an entry of `kind` (a resource type, or
 * `output`), or undefined where it is fine: an invocation property, free text, a dimension other
 * than FunctionName, any other value that is not a name.
 */
export function misplacement(kind: string, landing: Landing): Misplacement | undefined {
  const keys = landing.keys;
  const key = keys[keys.length - 1] ?? '';
  const parentKey = keys[keys.length - 2] ?? '';
  if (kind === 'output') {
    return keys[0] === 'Value' ? OUTPUT : keys[0] === 'Export' ? EXPORT : undefined;
  }
  if (keys.some((k) => FREE_TEXT_KEY.test(k))) {
    return undefined;
  }
  if (kind === 'AWS::CloudWatch::Dashboard' && key === 'DashboardBody') {
    return DASHBOARD_DIMENSION_BEFORE.test(landing.before) ? DIMENSION
      : DASHBOARD_LOG_SOURCE_BEFORE.test(landing.before) ? LOG_GROUP : undefined;
  }
  if (keys.some((k) => /Dimensions(Map)?$/.test(k))) {
    // [{Name: 'FunctionName', Value}] as CloudWatch takes it, or {FunctionName: value} in a map.
    const isFunctionName = (key === 'Value' && landing.holder.Name === 'FunctionName') || key === 'FunctionName';
    return isFunctionName ? DIMENSION : undefined;
  }
  if (LOG_GROUP_KEY.test(key) || LOG_GROUP_BEFORE.test(landing.before)) {
    return LOG_GROUP;
  }
  if (/Names?$/.test(key) && !INVOKES_KEY.test(key) && !USER_KEYED_MAP.test(parentKey)) {
    return NAME;
  }
  return undefined;
}
