import { Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { reportIsComplete } from './report-capabilities';

/*
 * The plugins registered per Stage (or App). aws-cdk-lib hands an App's plugin the templates of every
 * nested Stage too, so a plugin on the App and one on a nested Stage would both report the nested
 * Stage's findings: each resource is reported by the plugin of its nearest Stage that has one.
 */
const BY_STAGE = new WeakMap<IConstruct, object>();

export function registeredPlugin(stage: IConstruct): object | undefined {
  return BY_STAGE.get(stage);
}

export function registerPlugin(stage: IConstruct, plugin: object): void {
  BY_STAGE.set(stage, plugin);
}

/** The plugin that reports `resource`: that of its nearest Stage (or the App) with one. */
export function pluginOf(resource: IConstruct): object | undefined {
  for (let node: IConstruct | undefined = resource; node; node = node.node.scope) {
    const plugin = Stage.isStage(node) || node === node.node.root ? BY_STAGE.get(node) : undefined;
    if (plugin) {
      return plugin;
    }
  }
  return undefined;
}

/**
 * Whether the plugin of `resource`'s Stage reports its findings instead of the automatic guard: only where
 * the release's report shows every finding and fails synthesis as an aspect's error does (issue #17 §5).
 */
export function reportedByPlugin(resource: IConstruct): boolean {
  return pluginOf(resource) !== undefined && reportIsComplete(resource);
}

/** The aspect `SafeLambdaValidation.addTo()` runs beside a plugin where the report is not complete, and its plugin. */
const COMPANIONS = new WeakMap<object, object>();

export function registerCompanion(aspect: object, plugin: object): void {
  COMPANIONS.set(aspect, plugin);
}

/**
 * Whether a nested Stage with a plugin of its own is left to that plugin (and its aspect) by the aspect of
 * an outer Stage's plugin: the nearest Stage's plugin decides, with its options, on every release.
 */
export function leftToNestedPlugin(aspect: object, nested: IConstruct): boolean {
  const plugin = COMPANIONS.get(aspect);
  const nearest = pluginOf(nested);
  return plugin !== undefined && nearest !== undefined && nearest !== plugin;
}
