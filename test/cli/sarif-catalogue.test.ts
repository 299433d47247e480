import * as fs from 'fs';
import * as path from 'path';
import { RULE_DESCRIPTIONS, render } from '../../src/cli/private/output-formats';

// Issue #16 §7: every hazard `diff` can report is described in SARIF's rule catalogue, so code
// scanning shows a sentence, not a bare ID.
describe('the SARIF rule catalogue', () => {
  const sources = ['template-diff.ts', ...fs.readdirSync(path.join(__dirname, '../../src/cli/private')).filter((f) => f.startsWith('diff-'))];
  const emitted = [...new Set(sources.flatMap((file) =>
    fs.readFileSync(path.join(__dirname, '../../src/cli/private', file), 'utf8').match(/'SafeLambda-[A-Za-z]+'/g) ?? [])
    .map((quoted) => quoted.slice(1, -1)))];

  test('GIVEN the rule IDs diff writes in its source WHEN reading the catalogue THEN each has a description', () => {
    expect(emitted.length).toBeGreaterThanOrEqual(13);
    expect(emitted.filter((id) => !RULE_DESCRIPTIONS[id])).toEqual([]);
  });

  test.each(emitted)('GIVEN a diff with no finding WHEN rendered as SARIF THEN rule %s is in the catalogue with its sentence', (id) => {
    const log = JSON.parse(render([], 'sarif', 'diff'));
    const rule = log.runs[0].tool.driver.rules.find((r: any) => r.id === id);
    expect(rule?.shortDescription.text).toBe(RULE_DESCRIPTIONS[id]);
    expect(rule?.shortDescription.text).not.toBe(id);
  });
});
