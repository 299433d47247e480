import { CfnResource } from 'aws-cdk-lib';
import { Finding } from '../../guard/finding';

/**
 * The permissions a function URL is invoked through: `lambda:InvokeFunctionUrl` with a
 * `FunctionUrlAuthType`, and (since October 2025) `lambda:InvokeFunction` with `InvokedViaFunctionUrl`.
 * They name no invoker (`Principal: '*'`, no `SourceArn`), so nothing else ties them to the URL; but
 * Lambda checks them on the function, version or alias the URL targets, so they move with the URL, or
 * stay with it (issue #16 §5: a URL moved to `live` with its permissions left on the function is denied).
 */
export function isFunctionUrlPermission(resource: CfnResource | undefined): boolean {
  if (resource?.cfnResourceType !== 'AWS::Lambda::Permission') {
    return false;
  }
  const props = resource as unknown as { functionUrlAuthType?: unknown; invokedViaFunctionUrl?: unknown };
  return props.functionUrlAuthType !== undefined || (props.invokedViaFunctionUrl !== undefined && props.invokedViaFunctionUrl !== false);
}

/** The findings of function URL permissions, per guarded function, to join the unit of that function's URL. */
export function urlPermissionFindings(findings: readonly Finding[], resourceAt: (path: string) => unknown): Map<string, Finding[]> {
  const byFunction = new Map<string, Finding[]>();
  for (const finding of findings) {
    const resource = resourceAt(finding.resourcePath);
    if (!finding.suppressed && CfnResource.isCfnResource(resource) && isFunctionUrlPermission(resource)) {
      byFunction.set(finding.functionPath, [...byFunction.get(finding.functionPath) ?? [], finding]);
    }
  }
  return byFunction;
}
