import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { pluginOf, registerCompanion, registeredPlugin, registerPlugin } from './private/registry';
import { reportIsComplete } from './private/report-capabilities';
import { unmatchedAcknowledgements } from './private/unmatched-acknowledgements';
import { SafeLambdaValidationPlugin } from './safe-lambda-validation-plugin';
import { NoLatestInvocations, NoLatestInvocationsProps } from '../guard/no-latest-invocations';

/**
 * Registers the guard as a CDK validation plugin.
 */
export class SafeLambdaValidation {
  /**
   * Adds a `SafeLambdaValidationPlugin` to the Stage of `scope` (or the App) and returns it.
   *
   * Uses `Validations.of(stage).addPlugins()` where aws-cdk-lib has it (2.251.0 and later), otherwise
   * the Stage's `policyValidationBeta1` list. A plugin on the App also checks the stacks of nested
   * Stages (CDK Pipelines stages); a plugin added to a nested Stage reports that Stage's resources
   * instead, with its own options. Once per Stage: a second call returns the first plugin.
   *
   * Before aws-cdk-lib 2.278.0 the report cannot carry every finding (see the README), so the guard
   * also runs as a `NoLatestInvocations` aspect with the same options: its errors fail synthesis and
   * its warnings are annotations, and the plugin does not repeat them.
   *
   * @param scope an App or Stage, or a construct in one
   * @param props the guard's options
   */
  public static addTo(scope: IConstruct, props: NoLatestInvocationsProps = {}): SafeLambdaValidationPlugin {
    const stage = cdk.Stage.isStage(scope) ? scope : cdk.Stage.of(scope);
    if (!stage) {
      throw new Error(`SafeLambdaValidation.addTo: '${scope.node.path || '<root>'}' is in no App or Stage. Pass an App, a Stage, or a construct inside one.`);
    }
    const existing = registeredPlugin(stage);
    if (existing) {
      // Once per Stage: a second plugin would report every finding again.
      return existing as SafeLambdaValidationPlugin;
    }
    const plugin = new SafeLambdaValidationPlugin(props, stage);
    const validations = (cdk as any).Validations;
    if (typeof validations?.of === 'function') {
      validations.of(stage).addPlugins(plugin);
    } else if (Array.isArray((stage as any).policyValidationBeta1)) {
      (stage as any).policyValidationBeta1.push(plugin);
    } else {
      throw new Error(`SafeLambdaValidation.addTo: the aws-cdk-lib in use has no validation plugins (neither Validations nor Stage.policyValidationBeta1) at '${stage.node.path || '<root>'}'. `
        + 'Use the NoLatestInvocations aspect instead: Aspects.of(app).add(new NoLatestInvocations()).');
    }
    registerPlugin(stage, plugin);
    if (!reportIsComplete(stage)) {
      // Before 2.278 the report hides a passing plugin's violations (the floor) or a failure only sets the
      // exit code (app.synth() returns): the guard also runs as an aspect, whose errors fail synthesis and
      // whose warnings and suppressed findings are annotations `cdk synth` prints; the plugin does not
      // repeat them (issue #17 §5).
      const guard = new NoLatestInvocations(props);
      registerCompanion(guard, plugin);
      cdk.Aspects.of(stage).add(guard);
      // And an acknowledgement that matches nothing is a warning annotation, checked once the tree is final.
      stage.node.addValidation({
        validate: () => {
          const found = NoLatestInvocations.findings(stage, props);
          for (const unmatched of unmatchedAcknowledgements(stage, found)) {
            const carrier = stage.node.findAll().find((c) => c.node.path === unmatched.resourcePath);
            if (carrier && pluginOf(carrier) === plugin) {
              cdk.Annotations.of(carrier).addWarningV2(unmatched.ruleId, unmatched.message);
            }
          }
          return [];
        },
      });
    }
    return plugin;
  }

  private constructor() {}
}
