/**
 * Integration kinds written as plain CloudFormation, each in JSON and in YAML with short-form
 * intrinsics, bound to the unqualified function and to its alias. `Fn` is the function, `FnAlias` its
 * `live` alias, `FnVersion` a version; `Binding` is the resource under test.
 */
export interface CfnCase {
  readonly name: string;
  readonly ruleId: string;
  /** Path of the finding inside `Binding`. */
  readonly propertyPath: string;
  /** The `Binding` resource, `ref` standing for the reference to the function or its alias. */
  readonly json: (target: 'Fn' | 'FnAlias') => unknown;
  /** The same resource in YAML (indented under `Binding:`), with short-form intrinsics. */
  readonly yaml: (target: 'Fn' | 'FnAlias') => string;
}

/** `!GetAtt Fn.Arn` for the function, `!Ref FnAlias` for the alias (an alias's Ref is its ARN). */
const arnJson = (t: string) => (t === 'Fn' ? { 'Fn::GetAtt': ['Fn', 'Arn'] } : { Ref: t });
const arnYaml = (t: string) => (t === 'Fn' ? '!GetAtt Fn.Arn' : `!Ref ${t}`);
const subArn = (t: string) => (t === 'Fn' ? '${Fn.Arn}' : `\${${t}}`);

export const CFN_CASES: CfnCase[] = [
  {
    name: 'API Gateway REST method (Integration.Uri, Fn::Sub)',
    ruleId: 'SafeLambda-LatestBinding',
    propertyPath: 'Properties.Integration.Uri',
    json: (t) => ({
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        HttpMethod: 'GET',
        RestApiId: 'api',
        ResourceId: 'res',
        AuthorizationType: 'NONE',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${subArn(t)}/invocations` } },
      },
    }),
    yaml: (t) => `    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      RestApiId: api
      ResourceId: res
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub "arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${subArn(t)}/invocations"`,
  },
  {
    name: 'HTTP API integration (IntegrationUri)',
    ruleId: 'SafeLambda-LatestBinding',
    propertyPath: 'Properties.IntegrationUri',
    json: (t) => ({ Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: 'api', IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: arnJson(t) } }),
    yaml: (t) => `    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api
      IntegrationType: AWS_PROXY
      PayloadFormatVersion: "2.0"
      IntegrationUri: ${arnYaml(t)}`,
  },
  {
    name: 'SNS subscription (Endpoint)',
    ruleId: 'SafeLambda-LatestBinding',
    propertyPath: 'Properties.Endpoint',
    json: (t) => ({ Type: 'AWS::SNS::Subscription', Properties: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Protocol: 'lambda', Endpoint: arnJson(t) } }),
    yaml: (t) => `    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: arn:aws:sns:us-east-1:123456789012:t
      Protocol: lambda
      Endpoint: ${arnYaml(t)}`,
  },
  {
    name: 'EventBridge rule target (Targets[0].Arn)',
    ruleId: 'SafeLambda-LatestBinding',
    propertyPath: 'Properties.Targets[0].Arn',
    json: (t) => ({ Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 'T', Arn: arnJson(t) }] } }),
    yaml: (t) => `    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - Id: T
          Arn: ${arnYaml(t)}`,
  },
  {
    name: 'SQS event source mapping (FunctionName, a Ref)',
    ruleId: 'SafeLambda-LatestBinding',
    propertyPath: 'Properties.FunctionName',
    json: (t) => ({ Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q', FunctionName: { Ref: t } } }),
    yaml: (t) => `    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: arn:aws:sqs:us-east-1:123456789012:q
      FunctionName: !Ref ${t}`,
  },
  {
    name: 'Step Functions task (DefinitionString, Fn::Join)',
    ruleId: 'SafeLambda-LatestBinding',
    propertyPath: 'Properties.DefinitionString',
    json: (t) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/r',
        DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"Invoke","States":{"Invoke":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"', arnJson(t), '","Payload.$":"$"},"End":true}}}']] },
      },
    }),
    yaml: (t) => `    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/r
      DefinitionString: !Join
        - ""
        - - '{"StartAt":"Invoke","States":{"Invoke":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"'
          - ${arnYaml(t)}
          - '","Payload.$":"$"},"End":true}}}'`,
  },
  {
    name: 'Lambda permission (FunctionName)',
    ruleId: 'SafeLambda-LatestPermission',
    propertyPath: 'Properties.FunctionName',
    json: (t) => ({ Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', FunctionName: arnJson(t) } }),
    yaml: (t) => `    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      Principal: sns.amazonaws.com
      FunctionName: ${arnYaml(t)}`,
  },
  {
    name: 'IAM grant (Statement[0].Resource)',
    ruleId: 'SafeLambda-LatestGrant',
    propertyPath: 'Properties.PolicyDocument.Statement[0].Resource',
    json: (t) => ({
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'p',
        Roles: ['r'],
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnJson(t) }] },
      },
    }),
    yaml: (t) => `    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [r]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: ${arnYaml(t)}`,
  },
  {
    name: 'SDK target in another function\'s environment',
    ruleId: 'SafeLambda-LatestSdkTarget',
    propertyPath: 'Properties.Environment.Variables.TARGET',
    json: (t) => ({
      Type: 'AWS::Lambda::Function',
      Properties: {
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::123456789012:role/r',
        Code: { ZipFile: 'x' },
        Environment: { Variables: { TARGET: arnJson(t) } },
      },
    }),
    yaml: (t) => `    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Role: arn:aws:iam::123456789012:role/r
      Code:
        ZipFile: x
      Environment:
        Variables:
          TARGET: ${arnYaml(t)}`,
  },
];

/** The function, its alias and version, plus `binding` as `Binding`, as a template object. */
export function cfnTemplate(binding: unknown): unknown {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: 'x' } } },
      FnVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
      FnAlias: { Type: 'AWS::Lambda::Alias', Properties: { Name: 'live', FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['FnVersion', 'Version'] } } },
      Binding: binding,
    },
  };
}

/** The same template in YAML, `binding` being the indented body of `Binding:`. */
export function cfnYaml(binding: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Role: arn:aws:iam::123456789012:role/r
      Code:
        ZipFile: x
  FnVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Fn
  FnAlias:
    Type: AWS::Lambda::Alias
    Properties:
      Name: live
      FunctionName: !Ref Fn
      FunctionVersion: !GetAtt FnVersion.Version
  Binding:
${binding}
`;
}
