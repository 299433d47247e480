/**
 * `npm run demo`: synthesizes the examples of the three routes of the migration guide and prints, for
 * every place a function is bound, which form of it the template binds: the alias, a version, or the
 * unqualified function ($LATEST). For routes 2 and 3 it also synthesizes the app as it was before
 * and compares: the bindings to $LATEST before and after, the resources added and removed, and the
 * functions, which keep their logical IDs.
 */
import { App } from 'aws-cdk-lib';
import { Binding, bindingsOf, functionIds, Template } from './bindings';
import { buildOrderService } from './service';
import { buildLegacyService } from './whole-app';
import { buildCheckout } from './wrap-one-function';

// NodejsFunctions are not bundled: the demo reads bindings, not code (`cdk synth` of these apps bundles as usual).
const context = { 'aws:cdk:bundling-stacks': [] };

const templates = (app: App): Array<{ name: string; template: Template }> =>
  app.synth().stacks.map((s) => ({ name: s.stackName, template: s.template as Template }));

let unqualified = 0;
let replaced = 0;

function printBindings(app: App): Template[] {
  const result: Template[] = [];
  for (const { name, template } of templates(app)) {
    console.log(`Stack ${name}: every place a Lambda function is bound, and the form it binds\n`);
    for (const b of bindingsOf(template)) {
      if (b.kind === '$LATEST') unqualified++;
      console.log(`${b.type.padEnd(34)} ${b.logicalId}`);
      console.log(`  ${b.path.padEnd(32)} -> ${b.form}`);
    }
    result.push(template);
  }
  return result;
}

function compare(before: App, after: Template[]): void {
  const old = templates(before).map((t) => t.template);
  old.forEach((was, i) => {
    const now = after[i];
    const latest = (t: Template) => bindingsOf(t).filter((b: Binding) => b.kind === '$LATEST').length;
    const kept = functionIds(was).filter((id) => functionIds(now).includes(id));
    const lost = functionIds(was).filter((id) => !kept.includes(id));
    replaced += lost.length;
    const count = (ids: string[], t: Template) => {
      const byType = new Map<string, number>();
      ids.forEach((id) => byType.set(t.Resources[id].Type, (byType.get(t.Resources[id].Type) ?? 0) + 1));
      return ids.length === 0 ? 'none' : [...byType].sort().map(([type, n]) => `${type} ×${n}`).join(', ');
    };
    const added = Object.keys(now.Resources).filter((id) => !(id in was.Resources));
    const removed = Object.keys(was.Resources).filter((id) => !(id in now.Resources));
    console.log(`\n  bindings to $LATEST: ${latest(was)} before, ${latest(now)} after`);
    console.log(`  resources added:     ${count(added, now)}`);
    console.log(`  resources removed:   ${count(removed, was)}`);
    console.log(`  functions:           ${kept.length} of ${functionIds(was).length} keep their logical ID (${kept.join(', ')})`
      + (lost.length ? `; REPLACED: ${lost.join(', ')}` : ''));
  });
}

console.log('Route 1, new code (examples/service.ts: SafeFunction, SafeNodejsFunction)\n');
printBindings(buildOrderService(context));

console.log('\nRoute 2, one existing function (examples/wrap-one-function.ts: new SafeAlias around a NodejsFunction)\n');
compare(buildCheckout({ safe: false, context }), printBindings(buildCheckout({ context })));

console.log('\nRoute 3, the whole app in one line (examples/whole-app.ts: MakeFunctionsSafe.applyTo(app), NodejsFunctions everywhere)\n');
compare(buildLegacyService({ safe: false, context }), printBindings(buildLegacyService({ context })));

const problems = [
  ...(unqualified ? [`${unqualified} binding(s) invoke $LATEST.`] : []),
  ...(replaced ? [`${replaced} function(s) replaced.`] : []),
];
console.log(`\n${problems.length === 0 ? 'No binding invokes $LATEST.' : problems.join(' ')}`);
process.exitCode = problems.length === 0 ? 0 : 1;
