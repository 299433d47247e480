import { Annotations, CfnOutput, CfnResource, IResolveContext, Reference, Stage, Tokenization } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { findLandings } from './qualified-name-landings';
import { misplacement } from './qualified-name-places';
import { isWarningAcknowledged } from '../../private/acknowledgements';
import { resolveRecordingReferences } from '../../private/references';
import { SafeFunctionWarnings } from '../safe-function-warnings';

interface Watched {
  readonly owner: IConstruct;
  readonly aliasName: string;
}

/** What one stage (an App is one) checks. */
interface StageWatch {
  /** The `AWS::Lambda::Alias` resource of every safe function in the stage. */
  readonly aliases: Map<IConstruct, Watched>;
  /** The constructs that resolved one of their qualified names (synthesis resolves with the element as scope). */
  readonly consumers: Set<IConstruct>;
}

const WATCHED = new WeakMap<IConstruct, StageWatch>();

const ID = SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME;

/**
 * Warns at synth wherever `owner`'s qualified `functionName` (`name:live`, cut out of the alias ARN)
 * lands where a bare name is wanted: a metric's FunctionName dimension (an alarm, a dashboard, an
 * anomaly detector), a log group name or ARN, a property that names a resource of its own, a stack
 * output or export name. One check per stage, however many functions: it renders again, as synthesis
 * does but with the aliases' ARNs as sentinels, only the elements that resolved a qualified name, so it
 * follows the name through Lazy values, overrides and references across the stage's stacks.
 */
export function watchQualifiedNames(owner: IConstruct, live: lambda.Alias): void {
  const stage: IConstruct = Stage.of(owner) ?? owner.node.root;
  let watch = WATCHED.get(stage);
  if (!watch) {
    const created: StageWatch = { aliases: new Map(), consumers: new Set() };
    watch = created;
    WATCHED.set(stage, created);
    stage.node.addValidation({ validate: () => { check(created); return []; } });
  }
  watch.aliases.set(live.node.defaultChild as IConstruct, { owner, aliasName: live.aliasName });
  recordConsumers(live, watch);
}

/**
 * Makes the token of `live`'s qualified name (its `Fn::Select` of the alias ARN) note every element
 * that resolves it. Synthesis resolves every element once before validation (aws-cdk-lib looks for
 * cross-stack references), so the check renders again only those elements, not the whole stage.
 */
function recordConsumers(live: lambda.Alias, { consumers }: StageWatch): void {
  for (const token of Tokenization.reverseString(live.functionName).tokens) {
    const resolve = token.resolve.bind(token);
    (token as { resolve: (context: IResolveContext) => unknown }).resolve = (context) => {
      consumers.add(context.scope);
      return resolve(context);
    };
  }
}

function check({ aliases, consumers }: StageWatch): void {
  const pick = (reference: Reference) => aliases.has(reference.target);
  for (const element of [...consumers].filter(isElement)) {
    let rendered: { resolved: any; references: Array<{ target: IConstruct; sentinel: string }> };
    try {
      rendered = resolveRecordingReferences(element, (element as any)._toCloudFormation(), pick, { keepJoins: true });
    } catch {
      continue; // an element that does not render (a CfnSynthesisError) fails synthesis with its own message
    }
    const bySentinel = new Map(rendered.references.map((r) => [r.sentinel, aliases.get(r.target)!]));
    const section = element instanceof CfnOutput ? rendered.resolved?.Outputs : rendered.resolved?.Resources;
    const entry = Object.values(section ?? {})[0];
    const kind = element instanceof CfnOutput ? 'output' : (element as CfnResource).cfnResourceType;
    for (const landing of findLandings(entry, (s) => bySentinel.get(s)?.aliasName)) {
      const wrong = misplacement(kind, landing);
      const { owner, aliasName } = bySentinel.get(landing.sentinel)!;
      if (!wrong || isWarningAcknowledged(element, ID) || isWarningAcknowledged(owner, ID)) {
        continue;
      }
      const where = kind === 'output' ? wrong.place : `${kind} property ${landing.path}, ${wrong.place},`;
      const message = `${element.node.path}: ${where} holds the functionName of ${owner.node.path}, which is qualified (\`name:live\`): `
        + `${wrong.why} Fix: use \`.function.functionName\` of ${owner.node.path}${wrong.alternative}.`;
      Annotations.of(element).addWarningV2(ID, message.replace(/:live\b/g, `:${aliasName}`));
    }
  }
}

function isElement(node: IConstruct): node is CfnResource | CfnOutput {
  return CfnResource.isCfnResource(node) || node instanceof CfnOutput;
}
