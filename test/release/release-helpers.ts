import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { SafeFunction, SafeFunctionProps } from '../../src';

/** A stack at path /Default, in an app with `recognizeLayerVersion` on. */
export function newStack(): Stack {
  return new Stack(new App({ context: { [cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION]: true } }), 'Default');
}

/** Inline Node.js 22 code, so tests need no asset. */
export function inlineFunctionProps(body = 'ok'): lambda.FunctionProps {
  return {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`exports.handler = async () => '${body}';`),
  };
}

/** A SafeFunction `Fn` in `stack` with inline code and `props`. */
export function newSafeFunction(stack: Stack, props: Partial<SafeFunctionProps> = {}, id = 'Fn'): SafeFunction {
  return new SafeFunction(stack, id, { ...inlineFunctionProps(), ...props });
}

/** An existing deployment group `orders-live` of the application `orders`, imported into `stack`. */
export function existingDeploymentGroup(stack: Stack): codedeploy.ILambdaDeploymentGroup {
  return codedeploy.LambdaDeploymentGroup.fromLambdaDeploymentGroupAttributes(stack, 'Group', {
    application: codedeploy.LambdaApplication.fromLambdaApplicationName(stack, 'App', 'orders'),
    deploymentGroupName: 'orders-live',
  });
}

/** The logical ID of the only resource of `type`. */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) {
    throw new Error(`expected one ${type}, found ${ids.length}: ${ids.join(', ')}`);
  }
  return ids[0];
}

/**
 * The cycles CloudFormation would refuse: edges are `Ref`, `Fn::GetAtt`, `Fn::Sub` references and
 * `DependsOn`, anywhere in a resource (its `UpdatePolicy` included). Returns each cycle as a path.
 */
export function dependencyCycles(template: Template): string[][] {
  const resources = template.toJSON().Resources as Record<string, any>;
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const out = new Set<string>([resource.DependsOn ?? []].flat());
    collectReferences(resource, out);
    edges.set(id, new Set([...out].filter((target) => target in resources)));
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(id)), id]);
      return;
    }
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) visit(next, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of edges.keys()) visit(id, []);
  return cycles;
}

function collectReferences(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectReferences(v, out));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') {out.add(v);} else if (key === 'Fn::GetAtt') {out.add(Array.isArray(v) ? v[0] : String(v).split('.')[0]);} else if (key === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        for (const m of String(text).matchAll(/\$\{([^}.!]+)/g)) out.add(m[1]);
        if (Array.isArray(v)) collectReferences(v[1], out);
      } else {collectReferences(v, out);}
    }
  }
}
