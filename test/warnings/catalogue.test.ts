import * as fs from 'fs';
import * as path from 'path';
import { GuardRules, SafeLambdaWarnings } from '../../src';

// Issue #18: one catalogue for every warning ID the library emits. The source is read, so a warning
// added anywhere without its catalogue entry fails here.
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(file) : file.endsWith('.ts') && !file.endsWith('.lambda.ts') ? [file] : [];
  });
}

const SRC = path.join(__dirname, '../../src');
const sources = sourceFiles(SRC).map((file) => fs.readFileSync(file, 'utf8'));

describe('the warnings catalogue', () => {
  test('GIVEN every warning ID literal in src WHEN read THEN each is in SafeLambdaWarnings.ALL_IDS', () => {
    const literals = new Set(sources.flatMap((s) => s.match(/'cdk-safe-lambda:(SafeFunction\.[A-Za-z]+|migration-[a-z-]+)'/g) ?? [])
      .map((quoted) => quoted.slice(1, -1)));
    expect(literals.size).toBeGreaterThanOrEqual(12);
    expect([...literals].filter((id) => !SafeLambdaWarnings.ALL_IDS.includes(id))).toEqual([]);
  });

  test('GIVEN every addWarningV2 call in src WHEN read THEN its ID is a catalogue constant, a literal of the catalogue or a guard rule ID', () => {
    const calls = sources.flatMap((s) => [...s.matchAll(/addWarningV2\(\s*([^,]+),/g)].map((m) => m[1].trim()));
    const unknown = calls.filter((arg) => {
      const literal = /^'([^']+)'$/.exec(arg);
      if (literal) {
        return !SafeLambdaWarnings.ALL_IDS.includes(literal[1]) && !GuardRules.ALL_IDS.includes(literal[1]);
      }
      // A constant of a warnings class, or a variable carrying a guard finding's rule ID (read where it is set).
      return !/^(SafeLambdaWarnings|SafeFunctionWarnings|ReleaseWarnings|RetentionWarnings|VersionIntegrityWarnings)\.[A-Z_]+$/.test(arg)
        && !/^(id|ID|finding\.ruleId|unmatched\.ruleId|ruleId|warningId)$/.test(arg);
    });
    expect(unknown).toEqual([]);
  });

  test('GIVEN the catalogue WHEN listing its IDs THEN they are unique and none is a guard rule ID', () => {
    expect(new Set(SafeLambdaWarnings.ALL_IDS).size).toBe(SafeLambdaWarnings.ALL_IDS.length);
    expect(SafeLambdaWarnings.ALL_IDS.filter((id) => GuardRules.ALL_IDS.includes(id))).toEqual([]);
  });
});
