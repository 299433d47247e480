// Every ```python block in README.md must be, verbatim, jsii-rosetta's translation of one of the
// README's TypeScript examples (from .jsii.tabl.json, written by `jsii-rosetta extract`), so the
// Python shown can never drift from TypeScript that compiles.
const fs = require('fs');
const tablet = JSON.parse(fs.readFileSync('.jsii.tabl.json', 'utf8'));
const translations = Object.values(tablet.snippets).map((s) => (s.translations.python || {}).source || '');
const readme = fs.readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```python\n([\s\S]*?)\n```/g)].map((m) => m[1].trim());
const stale = blocks.filter((b) => !translations.some((t) => t.trim() === b));
for (const b of stale) console.error(`README.md: this Python example is not a jsii-rosetta translation of any TypeScript example:\n${b}\n`);
console.log(`${blocks.length} Python example(s) checked, ${stale.length} stale`);
process.exit(stale.length ? 1 : 0);
