import { Annotations, CfnDeletionPolicy, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BudgetMember } from './version-budget';
import { isWarningAcknowledged } from '../../private/acknowledgements';
import { resolveRecordingReferences } from '../../private/references';
import { RetentionWarnings } from '../retention-warnings';

/** Storage classes Lambda cannot read code from (an archived object must be restored first). */
const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/**
 * Warns when a SafeFunction that retains versions reads its code from its S3 bucket
 * (`S3ObjectStorageMode: REFERENCE`) and a lifecycle rule of that bucket, in the same app, expires
 * noncurrent object versions (or archives them) under the code's key (issue #17 §4).
 *
 * In REFERENCE mode Lambda keeps no copy: each version reads the object version it was created
 * from, so once that object version goes, the version (a rollback target) can no longer start. Any
 * number of days is too few: a retained version has no maximum age (it stays until `retainVersions`
 * newer ones exist, or while an alias or a durable execution holds it), and `NewerNoncurrentVersions`
 * counts object versions per key, not Lambda versions. In COPY mode (the default) Lambda copied the
 * code when it published the version, and the bucket's rules do not matter.
 */
export function watchCodeBucket(member: BudgetMember): void {
  member.owner.node.addValidation({ validate: () => { check(member); return []; } });
}

function check(member: BudgetMember): void {
  const id = RetentionWarnings.CODE_BUCKET_EXPIRES_RETAINED_VERSIONS;
  if (!retainsVersions(member) || isWarningAcknowledged(member.owner, id)) return;
  const cfn = member.function.node.defaultChild as lambda.CfnFunction;
  const { resolved, references } = resolveRecordingReferences(cfn, (cfn as any)._toCloudFormation(),
    (r) => CfnResource.isCfnResource(r.target) && r.target.cfnResourceType === 'AWS::S3::Bucket');
  const code = (Object.values(resolved?.Resources ?? {})[0] as any)?.Properties?.Code;
  if (code?.S3ObjectStorageMode !== 'REFERENCE') return;
  const bucket = references.find((r) => r.sentinel === code.S3Bucket)?.target as CfnResource | undefined;
  if (!bucket) return; // a bucket outside the app: its rules cannot be read here

  const key = typeof code.S3Key === 'string' && !code.S3Key.includes('@@ref') ? code.S3Key : undefined;
  const rendered = Stack.of(bucket).resolve((bucket as any)._toCloudFormation());
  const rules: any[] = (Object.values(rendered?.Resources ?? {})[0] as any)?.Properties?.LifecycleConfiguration?.Rules ?? [];
  const harmful = (Array.isArray(rules) ? rules : []).flatMap((rule, i) => harm(rule, i, key));
  if (harmful.length === 0) return;

  const path = member.owner.node.path;
  Annotations.of(member.owner).addWarningV2(id,
    `${path}: its code bucket can delete the code of retained versions (S3ObjectStorageMode REFERENCE)\n`
    + `  bucket: ${bucket.node.path}, key: ${key ?? '(known at deploy time)'}\n`
    + harmful.map((h) => `  ${h}\n`).join('')
    + '  In REFERENCE mode Lambda keeps no copy: a version reads the S3 object version it was created from, and a retained '
    + 'version (a rollback target) has no maximum age.\n'
    + 'Fix: exclude the code\'s prefix from the rule (Prefix or Filter), drop its noncurrent expiration, or use S3ObjectStorageMode.COPY '
    + '(the default). Acknowledge this warning if the rule never reaches the code.');
}

/** What `rule` does to noncurrent object versions under `key` that a retained version needs, if anything. */
function harm(rule: any, index: number, key: string | undefined): string[] {
  if (!rule || typeof rule !== 'object' || rule.Status === 'Disabled') return [];
  const name = `rule ${typeof rule.Id === 'string' ? rule.Id : `#${index + 1}`}`;
  const prefix = rule.Prefix ?? rule.Filter?.Prefix;
  if (typeof prefix === 'string' && prefix !== '' && key !== undefined && !key.startsWith(prefix)) return [];
  const scope = rule.TagFilters || rule.ObjectSizeGreaterThan !== undefined || rule.ObjectSizeLessThan !== undefined
    ? ' (if its tag or size filter matches the code)' : '';
  const found: string[] = [];
  const days = rule.NoncurrentVersionExpiration?.NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays;
  if (rule.NoncurrentVersionExpiration !== undefined || rule.NoncurrentVersionExpirationInDays !== undefined) {
    found.push(`${name}: expires noncurrent object versions${days !== undefined && !Token.isUnresolved(days) ? ` after ${days} day(s)` : ''}${scope}`);
  }
  const transitions = [...(rule.NoncurrentVersionTransitions ?? []), ...(rule.NoncurrentVersionTransition ? [rule.NoncurrentVersionTransition] : [])];
  for (const t of transitions) {
    if (ARCHIVE_CLASSES.has(t?.StorageClass)) {
      found.push(`${name}: moves noncurrent object versions to ${t.StorageClass}, which Lambda cannot read${scope}`);
    }
  }
  return found;
}

/** Whether replaced versions outlive the deployment that replaced them. */
function retainsVersions(member: BudgetMember): boolean {
  if (member.options.retainVersions !== undefined) return true;
  const version = member.version.node.defaultChild as { cfnOptions?: { deletionPolicy?: CfnDeletionPolicy } } | undefined;
  return version?.cfnOptions?.deletionPolicy === CfnDeletionPolicy.RETAIN;
}
