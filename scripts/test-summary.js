#!/usr/bin/env node
// The closing line of a test run, "N passed, N failed", from what the run MUST have produced
// (issue #19: a killed run printed "2795 passed, 0 failed" because a missing report counted as
// nothing failing). Every expected junit report is read; one that is missing, unreadable, malformed,
// older than the run or empty counts as failed, and so does every step that failed for a reason its
// report does not show. So an interrupted run never ends with a line that reads as a pass.
//
//   node scripts/test-summary.js [--since EPOCH_SECONDS] [--steps FILE] [--exit-code N] REPORT...
//
// REPORT   a jest-junit file the run must produce.
// --since  when the run started: a report written before it is stale; also prints the wall time.
// --steps  the run's step log, one line per finished step, tab-separated: name, wall milliseconds,
//          exit code, and optionally the report the step writes and its CPU milliseconds. Printed
//          as the step timings.
// --exit-code  the run's own exit code: non-zero with nothing else failed still counts one failure.
// Exits 1 when anything failed.
const fs = require('fs');

function parseArgs(argv) {
  const options = { reports: [], since: undefined, steps: undefined, exitCode: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--since') options.since = Number(argv[++i]);
    else if (arg === '--steps') options.steps = argv[++i];
    else if (arg === '--exit-code') options.exitCode = Number(argv[++i]);
    else options.reports.push(arg);
  }
  return options;
}

/** The steps that finished, from the step log; an unreadable log yields none (the reports still count). */
function readSteps(file) {
  if (!file || !fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [name, ms, rc, report, cpuMs] = line.split('\t');
    return {
      name,
      seconds: Number(ms) / 1000,
      rc: rc === undefined ? 0 : Number(rc),
      report: report || undefined,
      cpu: cpuMs ? Number(cpuMs) / 1000 : undefined,
    };
  });
}

/**
 * One junit report, counted from its <testcase> elements: { passed, failed, skipped } or { problem }.
 * jest-junit writes the file in one piece at the end of a run, so a truncated or foreign file is a
 * run that did not finish, never a pass.
 */
function readReport(file, since) {
  let stat;
  let xml;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return { problem: e.code === 'ENOENT' ? 'missing' : `unreadable (${e.code || e.message})` };
  }
  try {
    xml = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { problem: `unreadable (${e.code || e.message})` };
  }
  if (since !== undefined && stat.mtimeMs < since * 1000) {
    return { problem: 'stale (written before this run started)' };
  }
  const root = /<testsuites\b[^>]*>/.exec(xml);
  const declared = root && /\btests="(\d+)"/.exec(root[0]);
  if (!root || !declared) return { problem: 'malformed (no <testsuites tests="N"> element)' };
  if (!xml.trimEnd().endsWith('</testsuites>')) return { problem: 'malformed (truncated: it does not end with </testsuites>)' };
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const m of xml.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[1] || '';
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
  const counted = passed + failed + skipped;
  if (counted < Number(declared[1])) {
    return { problem: `malformed (declares ${declared[1]} tests, holds ${counted})` };
  }
  // A suite that failed to run counts in the root's failures/errors even without a failing test case.
  const attr = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(root[0]) || [])[1] || 0);
  failed = Math.max(failed, attr('failures') + attr('errors'));
  if (counted === 0) return { problem: 'holds no test' };
  return { passed, failed, skipped };
}

function summarize(options) {
  const lines = [];
  const problems = [];
  let passed = 0;
  let failed = 0;
  const steps = readSteps(options.steps);
  if (options.steps) {
    // CPU time (user + sys, children included) is what to compare between runs on a busy machine.
    const cpu = (s) => (s.cpu === undefined ? '' : s.cpu.toFixed(1)).padStart(7);
    lines.push('', '--- step timings (s) ---', '   wall      cpu  step');
    for (const step of steps) {
      lines.push(`${step.seconds.toFixed(1).padStart(7)}  ${cpu(step)}  ${step.name}${step.rc === 0 ? '' : `  FAILED (exit ${step.rc})`}`);
    }
    const wall = options.since === undefined ? '' : String(Math.round(Date.now() / 1000 - options.since));
    const cpuTotal = steps.reduce((sum, s) => sum + (s.cpu || 0), 0);
    lines.push(`${wall.padStart(7)}  ${cpuTotal.toFixed(1).padStart(7)}  total`);
  }
  lines.push('');
  const reportFailed = new Map();
  for (const file of options.reports) {
    const result = readReport(file, options.since);
    const step = steps.find((s) => s.report === file);
    if (result.problem) {
      const notWritten = result.problem === 'missing' || result.problem.startsWith('stale');
      const why = step && step.rc !== 0 ? ` (its step "${step.name}" exited ${step.rc})`
        : step && notWritten ? ` (its step "${step.name}" did not write it)`
          : notWritten ? ' (its jest run never started or did not finish)' : '';
      lines.push(`${file}: ${result.problem}`);
      problems.push(`${file}: ${result.problem}${why}`);
      failed++;
      reportFailed.set(file, true);
      continue;
    }
    lines.push(`${file}: ${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}`);
    passed += result.passed;
    failed += result.failed;
    reportFailed.set(file, result.failed > 0);
  }
  for (const step of steps) {
    if (step.rc === 0) continue;
    // A jest step that failed because tests failed is already counted by its report.
    if (step.report && reportFailed.get(step.report)) continue;
    problems.push(`step "${step.name}" failed (exit ${step.rc})`);
    failed++;
  }
  if (options.exitCode !== 0 && failed === 0) {
    problems.push(`the run exited ${options.exitCode} (see the log above)`);
    failed++;
  }
  for (const problem of problems) lines.push(`FAILED: ${problem}`);
  lines.push(`${passed} passed, ${failed} failed`);
  return { text: lines.join('\n'), failed };
}

const { text, failed } = summarize(parseArgs(process.argv.slice(2)));
console.log(text);
process.exitCode = failed > 0 ? 1 : 0;
