import { headline, HEADLINE_WHAT } from './headline';
import { RuleVerdict, TargetFunction } from './input';
import { GuardRules } from '../guard/guard-rules';

/*
 * The one message builder of the judge (issue #18): every finding of the construct guard and of
 * `cdk-safe-lambda check` is written here, with the path the user reads, and a fix in the words of the
 * tool that produced the template (issue #18 §5): the construct for the CDK, `AutoPublishAlias` for SAM,
 * `serverless.yml` for the Serverless Framework (never its generated `.serverless/*.json`).
 */

/** The tool that wrote the template a finding is in: it decides the words of the fix and of the suppression. */
export enum TemplateTool {
  /** The CDK: the fix names constructs, the suppression is `GuardSuppressions.add`. */
  CDK = 'cdk',
  /** A SAM template (as written, or translated): the fix is `AutoPublishAlias`. */
  SAM = 'sam',
  /** A Serverless Framework service: the fix is in `serverless.yml`. */
  SERVERLESS = 'serverless',
  /** Plain CloudFormation. */
  CLOUDFORMATION = 'cloudformation',
}

/** One finding, as its message tells it. */
export interface FindingSubject {
  readonly ruleId: string;
  /** How the message names the resource that binds: its construct path, or `Resources.<logicalId>`. */
  readonly resourcePath: string;
  /** Where the reference sits in the resource's entry, as the user reads it (what `appliesTo` matches). */
  readonly propertyPath: string;
  readonly verdict: RuleVerdict;
  readonly target: TargetFunction;
  readonly tool: TemplateTool;
  /** `cdk-safe-lambda check`: the file, the stack and the template path (`t.json (Stack) Resources.X.Properties.Y`). */
  readonly location?: string;
  /** A fix that replaces the rule's and the tool's (a SAM hook: where SAM reads it). */
  readonly fix?: string;
  /** That fix in a few words, for the headline. */
  readonly shortFix?: string;
  /** Where the resource was created in the user's code (`file:line`), when aws-cdk-lib recorded it. */
  readonly createdAt?: string;
}

/** A permission or grant a finding's integration brought, as messages list it. */
export interface RelatedResource {
  readonly ruleId: string;
  /** Construct path, or `Resources.<logicalId>`. */
  readonly resourcePath: string;
  readonly propertyPath: string;
}

const WHY_SAFE = '<why this cannot reach $LATEST during a deploy>';

/**
 * The message of a finding: its headline (issue #19 §4: rule, resource, what it binds, the fix in a few
 * words), then the details: the binding resource, the property path, the guarded function (all in
 * `verdict.problem`), the permissions and grants its integration brought (`related`), the fix, the exact
 * suppression (which covers the related resources too), and where the resource was created.
 */
export function findingMessage(subject: FindingSubject, related: readonly RelatedResource[] = []): string {
  const created = subject.createdAt ? `\nCreated at ${subject.createdAt}.` : '';
  return `${findingHeadline(subject)}\n${findingDetails(subject, related)}${created}`;
}

function findingHeadline(subject: FindingSubject): string {
  return headline({
    ruleId: subject.ruleId,
    where: subject.resourcePath,
    propertyPath: subject.propertyPath,
    what: HEADLINE_WHAT[subject.ruleId] ?? 'reaches $LATEST of {fn}',
    fn: subject.target.path,
    fix: subject.shortFix ?? shortFix(subject),
  });
}

function findingDetails(subject: FindingSubject, related: readonly RelatedResource[]): string {
  const { ruleId, resourcePath, propertyPath, verdict, location } = subject;
  if (subject.tool === TemplateTool.CDK) {
    const message = `[${ruleId}] ${resourcePath} ${verdict.problem}${relatedClause(related)}. Fix: ${subject.fix ?? cdkFix(subject)}. `
      + `If it is safe, suppress it with a reason: GuardSuppressions.add(${suppressionScope(resourcePath)}, { ruleId: '${ruleId}', reason: '${WHY_SAFE}', appliesTo: ['${propertyPath}'] }).`;
    return location ? `${location}: ${message}` : message;
  }
  return `[${ruleId}] ${location ?? resourcePath}: ${resourcePath} ${verdict.problem}${relatedClause(related)}. Fix: ${subject.fix ?? templateFix(subject)}. `
    + `If it is safe, suppress it with a reason in ${suppressionPlace(subject)}: `
    + `{"cdk-safe-lambda": {"suppressions": [{"ruleId": "${ruleId}", "reason": "${WHY_SAFE}", "appliesTo": ["${propertyPath}"]}]}}.`;
}

/** The fix in a few words, in the words of the template's tool. */
function shortFix(subject: FindingSubject): string {
  const ruleId = subject.ruleId;
  const versionOnly = ruleId === GuardRules.STATE_MACHINE_ALIAS;
  const grant = ruleId === GuardRules.LATEST_GRANT;
  switch (subject.tool) {
    case TemplateTool.CDK:
      if (versionOnly) {
        return 'pass .currentVersion';
      }
      if (subject.target.isSafeFunction) {
        return grant ? 'grant on the live alias' : 'bind the live alias';
      }
      return grant ? 'grant on a SafeAlias' : 'bind a SafeAlias';
    case TemplateTool.SAM:
      return versionOnly ? `pass ${functionIdOf(subject.target)}.Version` : `AutoPublishAlias, ${functionIdOf(subject.target)}.Alias`;
    case TemplateTool.SERVERLESS:
      return 'an alias, in serverless.yml';
    default:
      return versionOnly ? 'bind a version' : grant ? 'allow the alias only' : 'bind an alias or version';
  }
}

/** The fix in CDK terms: the rule's own, or the usual one for the function's kind. */
function cdkFix(subject: FindingSubject): string {
  const target = subject.target;
  return subject.verdict.fix ?? (target.isSafeFunction
    ? `pass ${target.path} itself (a SafeFunction or SafeAlias is its live alias), its \`.live\` or \`.currentVersion\`, never \`.function\` or the function it wraps`
    // Routes that fit any function kind (NodejsFunction, DockerImageFunction, PythonFunction...), never
    // "make it a SafeFunction", which would replace the function (issue #10).
    : `make ${target.path} safe in place and bind that: \`new SafeAlias(scope, 'Safe', { function: fn })\` for this function, or `
      + '`MakeFunctionsSafe.applyTo(app)` for the whole app (it also rewrites this binding); or bind `fn.currentVersion`');
}

/** The fix in the words of the template's tool. */
function templateFix(subject: FindingSubject): string {
  const fixes = subject.tool === TemplateTool.SAM ? samFixes(functionIdOf(subject.target))
    : subject.tool === TemplateTool.SERVERLESS ? SERVERLESS_FIXES : CLOUDFORMATION_FIXES;
  return fixes[subject.ruleId] ?? CLOUDFORMATION_FIXES[GuardRules.LATEST_BINDING];
}

/** Plain CloudFormation: reference an alias or a version resource. */
const CLOUDFORMATION_FIXES: Record<string, string> = {
  [GuardRules.LATEST_BINDING]: 'reference an AWS::Lambda::Alias (`!Ref FnAlias`) or AWS::Lambda::Version of the function instead',
  [GuardRules.LATEST_PERMISSION]: 'set FunctionName to the alias ARN (`!Ref FnAlias`) or a version ARN, and bind the integration to the same',
  [GuardRules.LATEST_GRANT]: 'allow lambda:InvokeFunction on the alias ARN (`!Ref FnAlias`) or a version ARN only',
  [GuardRules.LATEST_SDK_TARGET]: 'pass the alias ARN (`!Ref FnAlias`) or a version ARN',
  [GuardRules.STATE_MACHINE_ALIAS]: 'pass a numbered version (`!Ref FnVersion`) to the state machine\'s tasks',
  [GuardRules.DURABLE_LATEST]: 'reference an AWS::Lambda::Alias (`!Ref FnAlias`) or AWS::Lambda::Version of the durable function',
  [GuardRules.SNAP_START_LATEST]: 'reference an AWS::Lambda::Alias (`!Ref FnAlias`) or AWS::Lambda::Version, the only targets that use SnapStart',
  [GuardRules.LATEST_PUBLISHED]: 'reference an AWS::Lambda::Alias (`!Ref FnAlias`) to release the Managed Instances function with weights or CodeDeploy',
};

/** SAM: `AutoPublishAlias` first; SAM binds the function's `Events` to that alias itself. */
function samFixes(fn: string): Record<string, string> {
  const alias = `set \`AutoPublishAlias: live\` on ${fn} (or in Globals.Function)`;
  return {
    [GuardRules.LATEST_BINDING]: `${alias}: SAM then binds its Events to the alias; reference \`!Ref ${fn}.Alias\` anywhere else`,
    [GuardRules.LATEST_PERMISSION]: `${alias} and set FunctionName to \`!Ref ${fn}.Alias\`, and bind the integration to the same`,
    [GuardRules.LATEST_GRANT]: `${alias} and allow lambda:InvokeFunction on \`!Ref ${fn}.Alias\` only`,
    [GuardRules.LATEST_SDK_TARGET]: `${alias} and pass \`!Ref ${fn}.Alias\` (the alias ARN)`,
    [GuardRules.STATE_MACHINE_ALIAS]: `${alias} and pass its numbered version (\`!Ref ${fn}.Version\`) to the state machine's tasks`,
    [GuardRules.DURABLE_LATEST]: `${alias} and bind \`!Ref ${fn}.Alias\`: Lambda never invokes a durable function unqualified`,
    [GuardRules.SNAP_START_LATEST]: `${alias} and bind \`!Ref ${fn}.Alias\`, the only targets that use SnapStart`,
    [GuardRules.LATEST_PUBLISHED]: `${alias} and bind \`!Ref ${fn}.Alias\`, to release it with DeploymentPreference`,
  };
}

/** Serverless Framework: what to write in `serverless.yml`; the `.serverless/*.json` it generates is rewritten by every package. */
const SERVERLESS_GENERATED = 'in serverless.yml, never in the generated .serverless/*.json (the next `serverless package` rewrites it)';
const SERVERLESS_ALIAS = 'give the function an alias its events invoke (`provisionedConcurrency` or `snapStart: true`, or the canary-deployments plugin\'s `deploymentSettings.alias`)';
const SERVERLESS_FIXES: Record<string, string> = {
  [GuardRules.LATEST_BINDING]: `${SERVERLESS_ALIAS}, and reference that alias instead of \`<Fn>LambdaFunction\` in \`resources\`: ${SERVERLESS_GENERATED}`,
  [GuardRules.LATEST_PERMISSION]: `${SERVERLESS_ALIAS}, and grant invocation on the alias in \`resources\`: ${SERVERLESS_GENERATED}`,
  [GuardRules.LATEST_GRANT]: `allow lambda:InvokeFunction on the alias ARN only (\`provider.iam.role.statements\`): ${SERVERLESS_GENERATED}`,
  [GuardRules.LATEST_SDK_TARGET]: `pass the alias ARN in \`environment\` (${SERVERLESS_ALIAS}): ${SERVERLESS_GENERATED}`,
  [GuardRules.STATE_MACHINE_ALIAS]: `pass a numbered version (\`<Fn>LambdaVersion…\`) to the state machine's tasks: ${SERVERLESS_GENERATED}`,
  [GuardRules.DURABLE_LATEST]: `bind the alias Serverless creates for a durable function: ${SERVERLESS_GENERATED}`,
  [GuardRules.SNAP_START_LATEST]: `set \`snapStart: true\` on the function, so that Serverless routes its events to a published version: ${SERVERLESS_GENERATED}`,
  [GuardRules.LATEST_PUBLISHED]: `${SERVERLESS_ALIAS}, to release the Managed Instances function with weights or CodeDeploy: ${SERVERLESS_GENERATED}`,
};

/** `Fn` for `Resources.Fn`: how SAM names the function's alias (`Fn.Alias`). */
function functionIdOf(target: TargetFunction): string {
  return target.path.startsWith('Resources.') ? target.path.slice('Resources.'.length) : target.path;
}

/** The message of a suppression that matched no finding. */
export function unusedSuppressionMessage(ruleId: string, scopePath: string, reason: string, appliesTo: string[] | undefined): string {
  const narrowed = appliesTo ? ` with appliesTo [${appliesTo.map((a) => `'${a}'`).join(', ')}]` : '';
  const first = headline({
    ruleId: GuardRules.UNUSED_SUPPRESSION,
    where: scopePath || '<root>',
    propertyPath: '',
    what: `suppression of ${ruleId} matched no finding`,
    fn: '',
    fix: 'remove it, or fix appliesTo',
  });
  return `${first}\n[SafeLambda-UnusedSuppression] the suppression of ${ruleId} on ${scopePath || '<root>'}${narrowed} (reason: '${reason}') matched no finding. `
    + 'Remove it, or fix its ruleId or appliesTo (entries must equal a finding\'s propertyPath or functionPath).';
}

/** `; and the permissions and grants it brought: <path> (<propertyPath>, <rule>), ...; the fix covers them too`. */
export function relatedClause(related: readonly RelatedResource[]): string {
  if (related.length === 0) {
    return '';
  }
  const kinds = [...new Set(related.map((r) => r.ruleId === GuardRules.LATEST_GRANT ? 'grants' : 'permissions'))].sort().reverse().join(' and ');
  const list = related.map((r) => `${r.resourcePath} (${r.propertyPath}, ${r.ruleId})`).join(', ');
  return `; and the ${kinds} its integration brought on the same function: ${list}; the fix covers them too`;
}

/** Where a template suppression is written: the resource's `Metadata`, in `serverless.yml` for a Serverless service. */
function suppressionPlace(subject: FindingSubject): string {
  return subject.tool === TemplateTool.SERVERLESS
    ? `serverless.yml, under resources.${subject.resourcePath}.Metadata (never the generated .serverless/*.json)`
    : `${subject.resourcePath}.Metadata`;
}

function suppressionScope(resourcePath: string): string {
  return `<the construct at '${resourcePath}' or one of its parents>`;
}

/** The message of a resource the construct guard could not check (a failure inside it). */
export function internalErrorMessage(resourcePath: string, step: string, detail: string): string {
  const ruleId = GuardRules.GUARD_INTERNAL_ERROR;
  const first = headline({
    ruleId, where: resourcePath, propertyPath: '', what: `not checked: ${step} failed`, fn: '', fix: 'check it by hand, report it',
  });
  return `${first}\n[${ruleId}] ${resourcePath} was not checked by the $LATEST guard: ${step} failed (${detail}). `
    + 'Synthesis goes on; check this resource\'s Lambda bindings by hand and report the failure to cdk-safe-lambda. '
    + `To silence it: Annotations.of(<the construct at '${resourcePath}'>).acknowledgeWarning('${ruleId}', '<reason>').`;
}
