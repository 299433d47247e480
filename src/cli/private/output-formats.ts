import { CliFinding } from './cli-finding';
import { DIFF_RULE_DESCRIPTIONS } from './diff-rules';
import { SourcePosition } from './source-locations';

/** Where a template path is written in its file, when it is known. */
export type Locator = (file: string, templatePath: string) => SourcePosition | undefined;

export const FORMATS = ['text', 'json', 'sarif'];

/** Short descriptions of every rule the command can report, for SARIF's rule catalogue. */
export const RULE_DESCRIPTIONS: Record<string, string> = {
  'SafeLambda-LatestBinding': 'An integration binds a function\'s unqualified ARN or name (or :$LATEST), so it invokes $LATEST.',
  'SafeLambda-LatestPermission': 'An AWS::Lambda::Permission grants invocation of a function\'s unqualified ARN, which only $LATEST needs.',
  'SafeLambda-LatestGrant': 'An IAM policy allows lambda:InvokeFunction on a function\'s unqualified ARN.',
  'SafeLambda-LatestSdkTarget': 'An environment variable holds a function\'s unqualified ARN or name, so SDK calls made with it invoke $LATEST.',
  'SafeLambda-StateMachineAlias': 'A state machine invokes a function through an alias (with --require-versions-in-state-machines).',
  'SafeLambda-DurableLatest': 'A durable function is bound unqualified or at $LATEST, which Lambda refuses outright.',
  'SafeLambda-SnapStartLatest': 'A SnapStart function is bound unqualified or at $LATEST, so its snapshots are never used.',
  'SafeLambda-LatestPublished': 'A Managed Instances function is bound unqualified ($LATEST.PUBLISHED): every publish moves all traffic at once.',
  'SafeLambda-MixedUpdate': 'A deployment changes both the code and the configuration of a function that something invokes unqualified.',
  'SafeLambda-VersionExists': 'A version\'s logical ID changes while the function does not: the deployment fails with "A version for this Lambda function exists".',
  'SafeLambda-Replacement': 'A function or alias is replaced (logical ID or name change): a new physical resource.',
  'SafeLambda-WeightedProvisionedAlias': 'An alias with routing weights also has provisioned concurrency: CloudFormation cannot update it.',
  ...DIFF_RULE_DESCRIPTIONS,
};

/** Renders findings as text (a headline each, then the details, then a summary), JSON, or SARIF 2.1.0. */
export function render(findings: CliFinding[], format: string, command: string, locate: Locator = () => undefined): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ command, findings }, undefined, 2);
    case 'sarif':
      return JSON.stringify(sarif(findings, locate), undefined, 2);
    default:
      return text(findings, command);
  }
}

/** The last line of the text output: `cdk-safe-lambda check: 2 error(s), 1 warning(s), 1 suppressed`. */
export function summary(findings: CliFinding[], command: string): string {
  const active = findings.filter((f) => !f.suppressed);
  const errors = active.filter((f) => f.level === 'error').length;
  const suppressed = findings.length - active.length;
  return `cdk-safe-lambda ${command}: ${errors} error(s), ${active.length - errors} warning(s)${suppressed ? `, ${suppressed} suppressed` : ''}`;
}

/**
 * issue #19: a person scans one short line per finding first (each message's first line), then reads
 * the details of each (the whole message), then the summary.
 */
function text(findings: CliFinding[], command: string): string {
  const active = findings.filter((f) => !f.suppressed);
  const lines = active.map((f) => `${f.level}: ${f.message.split('\n')[0]}`);
  const detailed = active.filter((f) => f.message.split('\n').slice(1).some((l) => l.trim() !== ''));
  if (detailed.length > 0) {
    lines.push('', 'Details:');
    for (const f of detailed) {
      const [headline, ...details] = f.message.split('\n');
      lines.push('', `${f.level}: ${headline}`, ...details.map((l) => (l ? `  ${l}` : l)));
    }
    lines.push('');
  }
  lines.push(summary(findings, command));
  return lines.join('\n');
}

function sarif(findings: CliFinding[], locate: Locator): unknown {
  const ruleIds = [...new Set([...Object.keys(RULE_DESCRIPTIONS), ...findings.map((f) => f.ruleId)])];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk-safe-lambda',
          informationUri: 'https://github.com/cdk-safe-lambda/cdk-safe-lambda',
          rules: ruleIds.map((id) => ({ id, shortDescription: { text: RULE_DESCRIPTIONS[id] ?? id } })),
        },
      },
      results: findings.map((f) => ({
        ruleId: f.ruleId,
        ruleIndex: ruleIds.indexOf(f.ruleId),
        level: f.level,
        message: { text: f.message },
        locations: [{
          physicalLocation: physicalLocation(f.file, f.templatePath, locate),
          logicalLocations: [{ fullyQualifiedName: `${f.stackName}/${f.templatePath}`, kind: 'resource' }],
        }],
        ...(f.relatedResources?.length ? {
          relatedLocations: f.relatedResources.map((r, id) => ({
            id,
            message: { text: `${r.resourcePath} (${r.propertyPath}, ${r.ruleId}): the fix covers it too` },
            physicalLocation: physicalLocation(r.file, r.templatePath, locate),
            logicalLocations: [{ fullyQualifiedName: `${r.stackName}/${r.templatePath}`, kind: 'resource' }],
          })),
        } : {}),
        partialFingerprints: { templatePath: `${f.stackName}/${f.templatePath}/${f.functionId ?? ''}` },
        ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressionReason }] } : {}),
      })),
    }],
  };
}

/** The file, and the line and column where the template path is written (issue #18: code scanning annotates the line). */
function physicalLocation(file: string, templatePath: string, locate: Locator): unknown {
  const position = locate(file, templatePath);
  return {
    artifactLocation: { uri: uriOf(file) },
    ...(position ? { region: { startLine: position.line, startColumn: position.column } } : {}),
  };
}

/** A file as a SARIF artifact URI: forward slashes, no leading `./`. */
function uriOf(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}
