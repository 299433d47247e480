import { SAM_FUNCTION_TYPE, TemplateOccurrence, targetOf } from './template-references';
import { LoadedTemplate } from './template-source';

/*
 * issue #18 §4: SAM as written = SAM as translated. A SAM resource's shorthand (an event, an
 * `EventInvokeConfig` destination, a policy template) becomes plain CloudFormation resources when SAM
 * translates it; `check` judges the same entries SAM would write, with the rule the construct guard
 * applies to them, and reports each where the template writes it.
 */

const SAM_STATE_MACHINE_TYPE = 'AWS::Serverless::StateMachine';

/** A reference as SAM's translation would hold it, judged in that entry, reported where it is written. */
export interface SamJudged {
  /** The type of the entry SAM writes (`AWS::Lambda::EventInvokeConfig`, `AWS::IAM::Role`...). */
  readonly resourceType: string;
  /** The reference, at its path inside `entry`. */
  readonly occurrence: TemplateOccurrence;
  /** The entry SAM writes, as the judge reads it (a qualifier or an action next to the reference). */
  readonly entry: unknown;
  /** Where the template writes it, when that is not the judged path (the fix then says what to write there). */
  readonly writtenAt?: { readonly path: string; readonly fix: string; readonly shortFix: string };
}

/** Lists the references in a value as `check` does (imports and nested stacks followed), at paths inside it. */
export type ValueWalker = (value: unknown) => TemplateOccurrence[];

const EVENT_FIX = 'set AutoPublishAlias on the function (or in Globals.Function): SAM then binds its events to the alias';
const EVENT_SHORT_FIX = 'set AutoPublishAlias';

/**
 * Everything SAM would translate `resource` into that binds, grants or permits invoking a function,
 * judged as the translation: for a SAM function its events and `FunctionUrlConfig`, its
 * `EventInvokeConfig` (on `$LATEST` without `AutoPublishAlias`) and `Lambda` destinations; for a SAM
 * function or state machine its `LambdaInvokePolicy` policy templates. `Globals.Function` counts as SAM
 * merges it (`AutoPublishAlias`, `EventInvokeConfig`, `FunctionUrlConfig`).
 */
export function samAsWritten(t: LoadedTemplate, logicalId: string, resource: any, walk: ValueWalker): SamJudged[] {
  const type = resource?.Type;
  if (type !== SAM_FUNCTION_TYPE && type !== SAM_STATE_MACHINE_TYPE) {
    return [];
  }
  const properties = resource.Properties ?? {};
  const policies = policyTemplates(properties.Policies, walk);
  if (type !== SAM_FUNCTION_TYPE) {
    return policies;
  }
  const globals = t.template.Globals?.Function ?? {};
  const alias: unknown = properties.AutoPublishAlias ?? globals.AutoPublishAlias;
  return [
    ...events(t, logicalId, properties, globals, alias),
    ...eventInvokeConfig(logicalId, properties.EventInvokeConfig ?? globals.EventInvokeConfig, alias, walk),
    ...policies,
  ];
}

/**
 * Each event (and the function URL) invokes what SAM binds it to: the `AutoPublishAlias` alias when it is
 * set, the unqualified function otherwise. An `AlexaSkill` event writes only a permission (Alexa calls
 * the function it names), so it is judged as that permission; the others as the binding they write.
 */
function events(t: LoadedTemplate, logicalId: string, properties: any, globals: any, alias: unknown): SamJudged[] {
  const target = alias ? targetOf(t, `${logicalId}.Alias`) : targetOf(t, logicalId);
  if (!target) {
    return [];
  }
  const reference = { target, attribute: alias ? 'Ref' : 'Arn', before: '', after: '' };
  const result: SamJudged[] = [];
  const written: Array<[string, any]> = Object.entries<any>(properties.Events ?? {}).map(([name, event]) => [`Properties.Events.${name}`, event]);
  if (properties.FunctionUrlConfig ?? globals.FunctionUrlConfig) {
    written.push(['Properties.FunctionUrlConfig', { Type: 'FunctionUrl' }]); // from Globals too, as SAM merges it
  }
  for (const [path, event] of written) {
    const writtenAt = { path, fix: EVENT_FIX, shortFix: EVENT_SHORT_FIX };
    if (event?.Type === 'AlexaSkill') {
      const entry = { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: {}, Principal: 'alexa-appkit.amazon.com' } };
      result.push({ resourceType: 'AWS::Lambda::Permission', occurrence: { ...reference, path: 'Properties.FunctionName' }, entry, writtenAt });
    } else {
      const entry = { Type: SAM_FUNCTION_TYPE, Properties: properties };
      // Judged where it is written: the fix is the judge's for a SAM template (AutoPublishAlias).
      result.push({ resourceType: SAM_FUNCTION_TYPE, occurrence: { ...reference, path }, entry });
    }
  }
  return result;
}

/**
 * `EventInvokeConfig` becomes an `AWS::Lambda::EventInvokeConfig` on the `AutoPublishAlias` alias, or
 * on `$LATEST` without one, and each destination of `Type: Lambda` its `Destination`: Lambda invokes
 * that function with the result of every asynchronous invocation.
 */
function eventInvokeConfig(logicalId: string, config: any, alias: unknown, walk: ValueWalker): SamJudged[] {
  if (typeof config !== 'object' || config === null) {
    return [];
  }
  const destinations: Record<string, unknown> = {};
  for (const outcome of ['OnSuccess', 'OnFailure']) {
    const destination = config.DestinationConfig?.[outcome];
    if (destination?.Type === 'Lambda' && destination.Destination !== undefined) {
      destinations[outcome] = { Destination: destination.Destination };
    }
  }
  const entry = {
    Type: 'AWS::Lambda::EventInvokeConfig',
    Properties: { FunctionName: { Ref: logicalId }, Qualifier: typeof alias === 'string' ? alias : alias ? 'live' : '$LATEST', DestinationConfig: destinations },
  };
  return walk(entry).map((occurrence) => ({
    resourceType: 'AWS::Lambda::EventInvokeConfig',
    occurrence,
    entry,
    writtenAt: occurrence.path === 'Properties.FunctionName'
      ? { path: 'Properties.EventInvokeConfig', fix: EVENT_FIX, shortFix: EVENT_SHORT_FIX }
      : {
        path: occurrence.path.replace('Properties.DestinationConfig.', 'Properties.EventInvokeConfig.DestinationConfig.'),
        fix: 'name the destination function\'s alias (`!Ref Destination.Alias` with AutoPublishAlias set on it)',
        shortFix: 'name the destination\'s alias',
      },
  }));
}

/**
 * `LambdaInvokePolicy: { FunctionName: X }` becomes a statement of the role SAM creates, allowing
 * `lambda:InvokeFunction` on `arn:…:function:${X}*`: the unqualified ARN and every qualifier.
 */
function policyTemplates(policies: unknown, walk: ValueWalker): SamJudged[] {
  if (!Array.isArray(policies)) {
    return [];
  }
  const result: SamJudged[] = [];
  policies.forEach((policy: any, i) => {
    const functionName = policy?.LambdaInvokePolicy?.FunctionName;
    if (functionName === undefined) {
      return;
    }
    const statement = {
      Action: ['lambda:InvokeFunction'],
      Effect: 'Allow',
      Resource: { 'Fn::Sub': ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*', { functionName }] },
    };
    const entry = { Type: 'AWS::IAM::Role', Properties: { Policies: policies.map((_, j) => (j === i ? { PolicyDocument: { Statement: [statement] } } : {})) } };
    for (const occurrence of walk(entry)) {
      result.push({
        resourceType: 'AWS::IAM::Role',
        occurrence,
        entry,
        writtenAt: {
          path: `Properties.Policies[${i}].LambdaInvokePolicy.FunctionName`,
          fix: 'name the function\'s alias in a policy statement of your own (LambdaInvokePolicy grants `function:<name>*`, $LATEST included)',
          shortFix: 'grant the alias ARN only',
        },
      });
    }
  });
  return result;
}
