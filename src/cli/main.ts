import * as fs from 'fs';
import { CliFinding } from './private/cli-finding';
import { InputError } from './private/input-error';
import { FORMATS, render } from './private/output-formats';
import { checkTemplates } from './private/template-check';
import { diffTemplates } from './private/template-diff';
import { LoadedTemplate, loadTemplates } from './private/template-source';
import { suppressionsWithoutReason } from './private/template-suppressions';

const USAGE = `usage: cdk-safe-lambda check <cdk.out | template.json | template.yaml | .serverless>... [options]
       cdk-safe-lambda diff <old> <new> [options]
options: --format text|json|sarif   --output <file>   --fail-on error|warning   --require-versions-in-state-machines`;

/** Where the command writes (a seam for tests). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STDIO: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/**
 * Runs the command; returns the exit code: 0 clean, 1 findings at or above `--fail-on`, 2 unusable
 * input or usage (one line on stderr, never a stack trace).
 */
export function run(argv: string[], io: CliIo = STDIO): number {
  try {
    const args = parseArgs(argv);
    let findings: CliFinding[];
    if (args.command === 'check') {
      const templates = withReasons(loadTemplates(args.paths));
      findings = checkTemplates(templates, { requireVersionsInStateMachines: args.requireVersions });
    } else {
      // The suppressions that count are those of the templates about to be deployed.
      findings = diffTemplates(loadTemplates([args.paths[0]]), withReasons(loadTemplates([args.paths[1]])));
    }
    const output = render(findings, args.format, args.command);
    if (args.output) {
      fs.writeFileSync(args.output, `${output}\n`);
      io.out(render(findings, 'text', args.command));
    } else {
      io.out(output);
    }
    const failing = findings.filter((f) => !f.suppressed && (f.level === 'error' || args.failOn === 'warning'));
    return failing.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`cdk-safe-lambda: ${e.message}`);
      return 2;
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      // Only a template nested thousands of levels deep gets here; CloudFormation refuses such templates too.
      io.err(`cdk-safe-lambda: ${argv.filter((a) => !a.startsWith('-') && a !== 'check' && a !== 'diff').join(', ')}: `
        + 'values nested too deeply to read (thousands of levels of intrinsics or lists)');
      return 2;
    }
    io.err(`cdk-safe-lambda: internal error: ${(e as Error)?.message ?? e} (please report it)`);
    return 2;
  }
}

/** `templates`, once every suppression in their Metadata has a reason (one without suppresses nothing: an input error). */
function withReasons(templates: LoadedTemplate[]): LoadedTemplate[] {
  const unreasoned = templates.flatMap(suppressionsWithoutReason);
  if (unreasoned.length > 0) {
    throw new InputError(`${unreasoned[0]}: add a "reason"`);
  }
  return templates;
}

interface Args {
  readonly command: 'check' | 'diff';
  readonly paths: string[];
  readonly format: string;
  readonly failOn: string;
  readonly output?: string;
  readonly requireVersions: boolean;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'check' && command !== 'diff') {
    throw new InputError(command === undefined || command === '--help' || command === '-h' ? USAGE : `unknown command '${command}'\n${USAGE}`);
  }
  const paths: string[] = [];
  let format = 'text';
  let failOn = 'error';
  let output: string | undefined;
  let requireVersions = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
      if (v === undefined) {
        throw new InputError(`${arg.split('=')[0]} needs a value\n${USAGE}`);
      }
      return v;
    };
    if (arg.startsWith('--format')) {
      format = value();
    } else if (arg.startsWith('--fail-on')) {
      failOn = value();
    } else if (arg.startsWith('--output')) {
      output = value();
    } else if (arg === '--require-versions-in-state-machines') {
      requireVersions = true;
    } else if (arg.startsWith('-')) {
      throw new InputError(`unknown option '${arg}'\n${USAGE}`);
    } else {
      paths.push(arg);
    }
  }
  if (!FORMATS.includes(format)) {
    throw new InputError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  }
  if (failOn !== 'error' && failOn !== 'warning') {
    throw new InputError(`--fail-on must be error or warning, not '${failOn}'`);
  }
  if (command === 'check' ? paths.length === 0 : paths.length !== 2) {
    throw new InputError(command === 'check' ? `check needs at least one path\n${USAGE}` : `diff needs exactly two paths: <old> <new>\n${USAGE}`);
  }
  return { command, paths, format, failOn, output, requireVersions };
}
