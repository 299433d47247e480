// Templates for diff's hazard tests (issue #16 §7): a function with its `live` alias and the
// integrations around it, and pairs (deployed, next) written from the principle with the hazards
// that exist between them.

export const REPLACEMENT = 'SafeLambda-Replacement';
export const IDENTITY = 'SafeLambda-IdentityChange';
export const OVERLAP = 'SafeLambda-OverlapReplacement';
export const STREAM = 'SafeLambda-StreamMappingRecreated';
export const REFUSED = 'SafeLambda-RefusedUpdate';
export const STALE = 'SafeLambda-StaleSnapshot';
export const GAP = 'SafeLambda-PermissionGap';
export const CONFLICT = 'SafeLambda-QualifierConflict';
export const UNJUDGED = 'SafeLambda-UnjudgedInput';
export const ORDER = 'SafeLambda-UpdateOrder';

export const ROLE = 'arn:aws:iam::123456789012:role/r';

/** A template with the function `Fn` (its version and its `live` alias) and `extra` resources (and outputs). */
export function withFunction(extra: Record<string, unknown> = {}, outputs?: Record<string, unknown>, fn: Record<string, unknown> = {}): any {
  return {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Role: ROLE, Code: { ZipFile: 'x' }, ...fn } },
      FnVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
      FnAlias: { Type: 'AWS::Lambda::Alias', Properties: { Name: 'live', FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['FnVersion', 'Version'] } } },
      ...extra,
    },
    ...(outputs ? { Outputs: outputs } : {}),
  };
}

export const FN_ARN = { 'Fn::GetAtt': ['Fn', 'Arn'] };
export const ALIAS_ARN = { Ref: 'FnAlias' };

export const subscription = (endpoint: unknown, extra: Record<string, unknown> = {}) =>
  ({ Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Endpoint: endpoint, ...extra } });
export const url = (target: unknown, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: target, ...extra } });
export const kinesis = 'arn:aws:kinesis:us-east-1:123456789012:stream/orders';
export const mapping = (functionName: unknown, extra: Record<string, unknown> = {}) =>
  ({ Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: functionName, EventSourceArn: kinesis, StartingPosition: 'LATEST', ...extra } });
export const queueMapping = (functionName: unknown) =>
  ({ Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: functionName, EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' } });
export const permission = (functionName: unknown, principal: string, extra: Record<string, unknown> = {}) =>
  ({ Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: functionName, Principal: principal, ...extra } });

/** A REST API whose one method invokes `target`, deployed by `deploymentId`. */
export function restApi(target: unknown, deploymentId = 'ApiDeploymentA'): Record<string, unknown> {
  return {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
    ApiGet: {
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'Api' },
        ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Join': ['', ['arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/', target, '/invocations']] } },
      },
    },
    [deploymentId]: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } }, DependsOn: ['ApiGet'] },
    ApiStage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: deploymentId }, StageName: 'prod' } },
  };
}

/** `resources` without their REST Deployment and Stage. */
export function withoutDeployment(resources: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resources).filter(([id]) => !id.startsWith('ApiDeployment') && id !== 'ApiStage'));
}

/** An HTTP API whose integration invokes `target`, served by a stage with `autoDeploy`. */
export function httpApi(target: unknown, autoDeploy: boolean): Record<string, unknown> {
  return {
    Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'http', ProtocolType: 'HTTP' } },
    HttpIntegration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Http' }, IntegrationType: 'AWS_PROXY', IntegrationUri: target, PayloadFormatVersion: '2.0' } },
    HttpRoute: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Http' }, RouteKey: 'GET /', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'HttpIntegration' }]] } } },
    HttpStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Http' }, StageName: 'prod', AutoDeploy: autoDeploy } },
  };
}

/** A state machine whose task invokes `target`, with a published version (its revision fixed, or read from the state machine). */
export function stateMachine(target: unknown, revisionFromStateMachine: boolean): Record<string, unknown> {
  return {
    Flow: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { RoleArn: ROLE, DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"', target, '","End":true}}}']] } },
    },
    FlowVersion: {
      Type: 'AWS::StepFunctions::StateMachineVersion',
      Properties: { StateMachineArn: { Ref: 'Flow' }, ...(revisionFromStateMachine ? { StateMachineRevisionId: { 'Fn::GetAtt': ['Flow', 'StateMachineRevisionId'] } } : {}) },
    },
  };
}

/** An AwsCustomResource-like call of `lambda:Invoke` naming `functionName`, run by a handler whose role is granted `granted`. */
export function sdkCall(functionName: unknown, granted: unknown[]): Record<string, unknown> {
  return {
    CallerRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    CallerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyName: 'p', Roles: [{ Ref: 'CallerRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: granted }] } },
    },
    CallerHandler: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Role: { 'Fn::GetAtt': ['CallerRole', 'Arn'] }, Code: { ZipFile: 'y' } } },
    Call: {
      Type: 'Custom::AWS',
      Properties: {
        ServiceToken: { 'Fn::GetAtt': ['CallerHandler', 'Arn'] },
        Create: { 'Fn::Join': ['', ['{"service":"Lambda","action":"invoke","parameters":{"FunctionName":"', functionName, '"}}']] },
      },
    },
  };
}

export const userPool = (trigger: unknown) => ({ Type: 'AWS::Cognito::UserPool', Properties: { LambdaConfig: { CustomMessage: trigger } } });
export const poolPermission = (functionName: unknown) => permission(functionName, 'cognito-idp.amazonaws.com', { SourceArn: { 'Fn::GetAtt': ['Pool', 'Arn'] } });
export const rule = (target: unknown) => ({ Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 't', Arn: target }] } });
export const resourcePolicy = (resource: unknown, service: string) => ({
  Type: 'AWS::Lambda::ResourcePolicy',
  Properties: { ResourceArn: resource, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'lambda:InvokeFunction', Resource: '*' }] } },
});
export const aliasName = { 'Fn::Join': [':', [FN_ARN, 'live']] };

/** [label, deployed, next, the hazards between them, in the order diff reports them]. */
export const HAZARD_CASES: Array<[string, unknown, unknown, string[]]> = [
  // a function or alias replaced (the spec: FunctionName, PackageType; Alias Name, FunctionName)
  // the alias names the function by `!Ref Fn`: its FunctionName changes with the function's name, so it is replaced too
  ['the function is renamed (FunctionName replaces it, and the alias with it)', withFunction({}, undefined, { FunctionName: 'a' }), withFunction({}, undefined, { FunctionName: 'b' }), [REPLACEMENT, REPLACEMENT]],
  ['negative: the function\'s code and memory change (in place)', withFunction(), withFunction({}, undefined, { Code: { ZipFile: 'z' }, MemorySize: 512 }), []],
  ['the alias is renamed (Name replaces it)', withFunction(), { ...withFunction(), Resources: { ...withFunction().Resources, FnAlias: { ...withFunction().Resources.FnAlias, Properties: { ...withFunction().Resources.FnAlias.Properties, Name: 'prod' } } } }, [REPLACEMENT]],

  // client-held identities
  ['the function URL moves to the alias (Qualifier replaces it: a new hostname)', withFunction({ Url: url(FN_ARN) }), withFunction({ Url: url(FN_ARN, { Qualifier: 'live' }) }), [IDENTITY]],
  ['the function URL is recreated under another logical ID on the same function', withFunction({ Url: url(FN_ARN) }), withFunction({ LiveUrl: url(FN_ARN, { Qualifier: 'live' }) }), [IDENTITY]],
  ['negative: the function URL\'s auth type changes (in place)', withFunction({ Url: url(FN_ARN) }), withFunction({ Url: url(FN_ARN, { AuthType: 'AWS_IAM' }) }), []],
  ['an exported output changes value', withFunction({}, { Arn: { Value: FN_ARN, Export: { Name: 'FnArn' } } }), withFunction({}, { Arn: { Value: ALIAS_ARN, Export: { Name: 'FnArn' } } }), [IDENTITY]],
  ['an output reads a URL this deployment replaces', withFunction({ Url: url(FN_ARN) }, { Link: { Value: { 'Fn::GetAtt': ['Url', 'FunctionUrl'] } } }),
    withFunction({ Url: url(FN_ARN, { Qualifier: 'live' }) }, { Link: { Value: { 'Fn::GetAtt': ['Url', 'FunctionUrl'] } } }), [IDENTITY, IDENTITY]],
  ['negative: an output keeps its value', withFunction({}, { Arn: { Value: FN_ARN, Export: { Name: 'FnArn' } } }), withFunction({}, { Arn: { Value: FN_ARN, Export: { Name: 'FnArn' } } }), []],

  // subscriptions and associations that overlap
  ['the SNS subscription moves to the alias (Endpoint replaces it: duplicates)', withFunction({ Sub: subscription(FN_ARN) }), withFunction({ Sub: subscription(ALIAS_ARN) }), [OVERLAP]],
  ['the SNS subscription is recreated under another logical ID for the same function', withFunction({ Sub: subscription(FN_ARN) }), withFunction({ LiveSub: subscription(ALIAS_ARN) }), [OVERLAP]],
  ['negative: the subscription\'s filter policy changes (in place)', withFunction({ Sub: subscription(FN_ARN) }), withFunction({ Sub: subscription(FN_ARN, { FilterPolicy: { a: ['b'] } }) }), []],
  ['negative: a subscription for another function replaces one that leaves', withFunction({ Sub: subscription(FN_ARN) }), withFunction({ Other: subscription('arn:aws:lambda:us-east-1:123456789012:function:other') }), []],
  ['the Connect integration association moves to the alias (IntegrationArn replaces it)',
    withFunction({ Assoc: { Type: 'AWS::Connect::IntegrationAssociation', Properties: { InstanceId: 'i', IntegrationType: 'LAMBDA_FUNCTION', IntegrationArn: FN_ARN } } }),
    withFunction({ Assoc: { Type: 'AWS::Connect::IntegrationAssociation', Properties: { InstanceId: 'i', IntegrationType: 'LAMBDA_FUNCTION', IntegrationArn: ALIAS_ARN } } }), [OVERLAP]],

  // stream mappings
  ['the stream mapping is recreated under another logical ID on the same stream', withFunction({ Map: mapping({ Ref: 'Fn' }) }), withFunction({ LiveMap: mapping(ALIAS_ARN) }), [STREAM]],
  ['the stream mapping\'s StartingPosition changes (it is replaced on the same stream)', withFunction({ Map: mapping({ Ref: 'Fn' }) }), withFunction({ Map: mapping({ Ref: 'Fn' }, { StartingPosition: 'TRIM_HORIZON' }) }), [STREAM]],
  ['negative: the stream mapping keeps its logical ID and moves to the alias (FunctionName: in place)', withFunction({ Map: mapping({ Ref: 'Fn' }) }), withFunction({ Map: mapping(ALIAS_ARN) }), []],
  ['negative: a queue mapping is recreated (consumers compete, nothing is read twice)', withFunction({ Map: queueMapping({ Ref: 'Fn' }) }), withFunction({ LiveMap: queueMapping(ALIAS_ARN) }), []],

  // updates CloudFormation refuses
  ['a custom resource\'s ServiceToken moves to the alias', withFunction({ Custom: { Type: 'Custom::Thing', Properties: { ServiceToken: FN_ARN } } }),
    withFunction({ Custom: { Type: 'Custom::Thing', Properties: { ServiceToken: ALIAS_ARN } } }), [REFUSED]],
  ['negative: a custom resource\'s other property changes (an Update sent to the handler)', withFunction({ Custom: { Type: 'Custom::Thing', Properties: { ServiceToken: FN_ARN, Size: 1 } } }),
    withFunction({ Custom: { Type: 'Custom::Thing', Properties: { ServiceToken: FN_ARN, Size: 2 } } }), []],
  ['a logical ID changes type', withFunction({ Q: { Type: 'AWS::SQS::Queue', Properties: {} } }), withFunction({ Q: { Type: 'AWS::SNS::Topic', Properties: {} } }), [REFUSED]],

  // snapshots no change reaches
  ['a REST method moves to the alias while the Deployment keeps its logical ID', withFunction(restApi(FN_ARN)), withFunction(restApi(ALIAS_ARN)), [STALE]],
  ['negative: the same move with a new Deployment logical ID', withFunction(restApi(FN_ARN)), withFunction(restApi(ALIAS_ARN, 'ApiDeploymentB')), []],
  ['a REST method moves to the alias on an API the template never deploys (its stages are deployed outside the stack)',
    withFunction(withoutDeployment(restApi(FN_ARN))), withFunction(withoutDeployment(restApi(ALIAS_ARN))), [STALE]],
  ['an HTTP API integration moves to the alias on a stage without AutoDeploy', withFunction(httpApi(FN_ARN, false)), withFunction(httpApi(ALIAS_ARN, false)), [STALE]],
  ['negative: the same move on a stage with AutoDeploy', withFunction(httpApi(FN_ARN, true)), withFunction(httpApi(ALIAS_ARN, true)), []],
  ['a state machine\'s definition moves to the alias while its published version stays', withFunction(stateMachine(FN_ARN, false)), withFunction(stateMachine(ALIAS_ARN, false)), [STALE]],
  ['negative: the version reads the state machine\'s revision (a new version per revision)', withFunction(stateMachine(FN_ARN, true)), withFunction(stateMachine(ALIAS_ARN, true)), []],

  // permission coherence after the update
  ['a Cognito trigger stays on the bare function while its permission moves to the alias', withFunction({ Pool: userPool(FN_ARN), PoolPermission: poolPermission(FN_ARN) }),
    withFunction({ Pool: userPool(FN_ARN), PoolPermission: poolPermission(ALIAS_ARN) }), [GAP]],
  // the permission names the pool (SourceArn), so CloudFormation creates it after the pool moved: denied in between
  ['the trigger and its permission move together, the permission created after the trigger moved (update order)',
    withFunction({ Pool: userPool(FN_ARN), PoolPermission: poolPermission(FN_ARN) }),
    withFunction({ Pool: userPool(ALIAS_ARN), PoolPermission: poolPermission(ALIAS_ARN) }), [ORDER]],
  ['negative: the trigger moves to the alias whose permission an earlier deployment added',
    withFunction({ Pool: userPool(FN_ARN), PoolPermission: poolPermission(FN_ARN), LivePermission: poolPermission(ALIAS_ARN) }),
    withFunction({ Pool: userPool(ALIAS_ARN), LivePermission: poolPermission(ALIAS_ARN) }), []],
  ['an events rule moves to the alias with a new permission and no dependency on it (update order)',
    withFunction({ Rule: rule(FN_ARN), RulePermission: permission(FN_ARN, 'events.amazonaws.com') }),
    withFunction({ Rule: rule(ALIAS_ARN), RulePermission: permission(ALIAS_ARN, 'events.amazonaws.com') }), [ORDER]],
  ['negative: the same move, the rule depending on its new permission',
    withFunction({ Rule: rule(FN_ARN), RulePermission: permission(FN_ARN, 'events.amazonaws.com') }),
    withFunction({ Rule: { ...rule(ALIAS_ARN), DependsOn: ['RulePermission'] }, RulePermission: permission(ALIAS_ARN, 'events.amazonaws.com') }), []],
  ['negative: the trigger has no permission in the template at all (allowed elsewhere, not judged)', withFunction({ Pool: userPool(FN_ARN) }), withFunction({ Pool: userPool(ALIAS_ARN) }), []],
  ['an events rule moves to the alias while its permission stays on the function',
    withFunction({ Rule: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 't', Arn: FN_ARN }] } }, RulePermission: permission(FN_ARN, 'events.amazonaws.com') }),
    withFunction({ Rule: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 't', Arn: ALIAS_ARN }] } }, RulePermission: permission(FN_ARN, 'events.amazonaws.com') }), [GAP]],
  ['a trigger stays on the bare function while its resource policy (AWS::Lambda::ResourcePolicy) moves to the alias',
    withFunction({ Pool: userPool(FN_ARN), Policy: resourcePolicy(FN_ARN, 'cognito-idp.amazonaws.com') }),
    withFunction({ Pool: userPool(FN_ARN), Policy: resourcePolicy(ALIAS_ARN, 'cognito-idp.amazonaws.com') }), [GAP]],
  ['negative: the trigger and its resource policy stay on the bare function',
    withFunction({ Pool: userPool(FN_ARN), Policy: resourcePolicy(FN_ARN, 'cognito-idp.amazonaws.com') }),
    withFunction({ Pool: userPool(FN_ARN), Policy: resourcePolicy(FN_ARN, 'cognito-idp.amazonaws.com') }), []],
  ['a custom resource\'s call still names the bare function while its grant is narrowed to the alias', withFunction(sdkCall({ Ref: 'Fn' }, [FN_ARN])), withFunction(sdkCall({ Ref: 'Fn' }, [ALIAS_ARN])), [GAP]],
  ['negative: the call and its grant stay together on the bare function', withFunction(sdkCall({ Ref: 'Fn' }, [FN_ARN])), withFunction(sdkCall({ Ref: 'Fn' }, [FN_ARN, { 'Fn::Join': ['', [FN_ARN, ':*']] }])), []],
  ['negative: the call and its grant move together to the alias', withFunction(sdkCall({ Ref: 'Fn' }, [FN_ARN])), withFunction(sdkCall({ 'Fn::Join': ['', [{ Ref: 'Fn' }, ':live']] }, [ALIAS_ARN])), []],

  // contradictions Lambda refuses
  ['EventInvokeConfig names fn:live while its Qualifier stays $LATEST', withFunction(),
    withFunction({ Async: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: aliasName, Qualifier: '$LATEST', MaximumRetryAttempts: 0 } } }), [CONFLICT]],
  ['negative: EventInvokeConfig names the bare function with Qualifier live (as aws-cdk-lib renders an alias)', withFunction(),
    withFunction({ Async: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'Fn' }, Qualifier: 'live', MaximumRetryAttempts: 0 } } }), []],
  ['a function URL targets the alias ARN with another Qualifier', withFunction(), withFunction({ Url: url(ALIAS_ARN, { Qualifier: 'prod' }) }), [CONFLICT]],
  ['negative: a function URL targets the bare function with Qualifier live', withFunction(), withFunction({ Url: url(FN_ARN, { Qualifier: 'live' }) }), []],

  // values known only at deploy time are not guessed
  ['negative: a Qualifier given by a parameter (known only at deploy time)', withFunction(),
    { ...withFunction({ Async: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: aliasName, Qualifier: { Ref: 'Q' }, MaximumRetryAttempts: 0 } } }), Parameters: { Q: { Type: 'String' } } }, []],
  ['negative: a function name given by a parameter next to a literal Qualifier', withFunction(),
    { ...withFunction({ Async: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'N' }, Qualifier: 'live', MaximumRetryAttempts: 0 } } }), Parameters: { N: { Type: 'String' } } }, []],
  ['negative: a subscription endpoint given by a parameter changes its default only (the template text is the same)',
    { ...withFunction({ Sub: subscription({ Ref: 'E' }) }), Parameters: { E: { Type: 'String', Default: 'a' } } },
    { ...withFunction({ Sub: subscription({ Ref: 'E' }) }), Parameters: { E: { Type: 'String', Default: 'b' } } }, []],

  // what cannot be judged is said
  ['a changed resource of a type the spec does not know', withFunction({ X: { Type: 'AWS::Nothing::Here', Properties: { A: 1 } } }), withFunction({ X: { Type: 'AWS::Nothing::Here', Properties: { A: 2 } } }), [UNJUDGED]],
];
