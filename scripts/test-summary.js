// Prints the closing line CI reads ("N passed, N failed") from jest's junit reports: jest's own
// summary line is not one it recognizes.
const fs = require('fs');
let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue;
  const xml = fs.readFileSync(file, 'utf8');
  const m = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"[^>]*\berrors="(\d+)"/.exec(xml);
  if (!m) continue;
  const bad = Number(m[2]) + Number(m[3]);
  console.log(`${file}: ${Number(m[1]) - bad} passed, ${bad} failed`);
  passed += Number(m[1]) - bad;
  failed += bad;
}
console.log(`${passed} passed, ${failed} failed`);
