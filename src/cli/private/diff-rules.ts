// Short descriptions of the hazards `diff` reports since issue #16 §7, for SARIF's rule catalogue
// (spread into output-formats.ts's RULE_DESCRIPTIONS beside the guard's rules and the first four hazards).
export const DIFF_RULE_DESCRIPTIONS: Record<string, string> = {
  'SafeLambda-IdentityChange': 'Something a client holds changes: a function URL (hostname), an API or state machine replaced, an output or export value.',
  'SafeLambda-OverlapReplacement': 'An SNS subscription or Connect integration association is replaced: old and new both deliver until cleanup.',
  'SafeLambda-StreamMappingRecreated': 'A stream\'s event source mapping is recreated on the same source: records read twice or skipped.',
  'SafeLambda-StaleSnapshot': 'A change no snapshot serves: a REST Deployment, a v2 stage without AutoDeploy or a state machine version stays.',
  'SafeLambda-PermissionGap': 'After the update an invoker calls a target (bare or alias) that no permission or grant in the template allows.',
  'SafeLambda-UpdateOrder': 'A binding moves to a target whose permission this deployment creates, with nothing ordering it after: denied meanwhile.',
  'SafeLambda-QualifierConflict': 'A function name carries one qualifier and the Qualifier property another: Lambda refuses the pair.',
  'SafeLambda-RefusedUpdate': 'An update CloudFormation refuses: a custom resource\'s ServiceToken, or a logical ID that changes type.',
  'SafeLambda-UnjudgedInput': 'What diff cannot judge: code given as a local path (SAM CodeUri), a resource type the specification does not know.',
};
