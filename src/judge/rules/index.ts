import { DURABLE_LATEST } from './durable-latest';
import { LATEST_BINDING } from './latest-binding';
import { LATEST_GRANT } from './latest-grant';
import { LATEST_PERMISSION } from './latest-permission';
import { LATEST_PUBLISHED } from './latest-published';
import { LATEST_SDK_TARGET } from './latest-sdk-target';
import { SNAP_START_LATEST } from './snap-start-latest';
import { STATE_MACHINE_ALIAS } from './state-machine-alias';
import { JudgeRule } from '../input';

export {
  DURABLE_LATEST, LATEST_BINDING, LATEST_GRANT, LATEST_PERMISSION, LATEST_PUBLISHED, LATEST_SDK_TARGET, SNAP_START_LATEST, STATE_MACHINE_ALIAS,
};

/**
 * The rules, in the order the judge asks them: specific rules first, LATEST_BINDING takes whatever they
 * leave. The one list the construct guard and `cdk-safe-lambda check` judge with (issue #18).
 */
export const JUDGE_RULES: readonly JudgeRule[] = [
  STATE_MACHINE_ALIAS,
  // Functions whose features only work through versions: their findings take precedence (issue #12).
  DURABLE_LATEST,
  SNAP_START_LATEST,
  LATEST_PUBLISHED,
  LATEST_PERMISSION,
  LATEST_GRANT,
  LATEST_SDK_TARGET,
  LATEST_BINDING,
];
