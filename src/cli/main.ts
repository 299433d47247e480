import * as fs from 'fs';
import * as path from 'path';
import { CliFinding } from './private/cli-finding';
import { InputError } from './private/input-error';
import { optionalFindings } from './private/optional-rules';
import { FORMATS, render, summary } from './private/output-formats';
import { sourceLocator } from './private/source-locations';
import { checkTemplates } from './private/template-check';
import { diffTemplates } from './private/template-diff';
import { LoadedTemplate, loadTemplates } from './private/template-source';
import { suppressionsWithoutReason } from './private/template-suppressions';

const USAGE = `usage: cdk-safe-lambda check <cdk.out | template.json | template.yaml | serverless project>... [options]
       cdk-safe-lambda diff <old> <new> [options]
       cdk-safe-lambda --help | --version
options: --format text|json|sarif   --output <file>   --fail-on error|warning   --require-versions-in-state-machines   --strict`;

const HELP = `${USAGE}

  check   the guard's rules on templates: every binding of a Lambda function to $LATEST
  diff    the hazards of deploying <new> over <old> (templates or cloud assemblies)

  --format <f>       text (default), json or sarif (SARIF 2.1.0, with line and column)
  --output <file>    write the report to <file>; print a one-line summary on stdout
  --fail-on <level>  exit 1 on findings at or above error (default) or warning
  --require-versions-in-state-machines   state machines must invoke numbered versions, not aliases
  --strict           check: also the optional rules (SafeLambda-WebFunctionAllAtOnce), as the guard's strict mode

exit codes: 0 no finding at or above --fail-on, 1 findings, 2 unusable input or arguments`;

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
  // issue #18: asking for help or the version is a success, not a usage error.
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  if (argv.length === 1 && ['--version', '-v', 'version'].includes(argv[0])) {
    io.out(packageVersion());
    return 0;
  }
  try {
    const args = parseArgs(argv);
    let findings: CliFinding[];
    let templates: LoadedTemplate[];
    if (args.command === 'check') {
      templates = withReasons(loadTemplates(args.paths));
      findings = checkTemplates(templates, { requireVersionsInStateMachines: args.requireVersions });
      if (args.strict) {
        findings = [...findings, ...optionalFindings(templates)];
      }
    } else {
      // The suppressions that count are those of the templates about to be deployed.
      const [before, after] = [loadTemplates([args.paths[0]]), withReasons(loadTemplates([args.paths[1]]))];
      templates = [...before, ...after];
      findings = diffTemplates(before, after);
    }
    const output = render(findings, args.format, args.command, sourceLocator(templates));
    if (args.output) {
      writeReport(args.output, `${output}\n`);
      // issue #18: the report goes to the file; stdout gets one line.
      io.out(`${summary(findings, args.command)}; report written to ${args.output}`);
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
    const fileProblem = fileSystemProblem(e);
    if (fileProblem) {
      io.err(`cdk-safe-lambda: ${fileProblem}`);
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

/** The `version` of this package's package.json (`src/cli` and `lib/cli` are both two levels below it). */
function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

/** Writes the report to `file`; a folder that does not exist is the user's to create (an input error). */
function writeReport(file: string, text: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new InputError(`--output ${file}: the folder ${path.dirname(file)} does not exist (create it first)`);
  }
  fs.writeFileSync(file, text);
}

/** A file-system failure (`ENOENT`, `ELOOP`, `EACCES`...) as one line naming the path, or undefined. */
function fileSystemProblem(e: unknown): string | undefined {
  const error = e as NodeJS.ErrnoException;
  if (typeof error?.code !== 'string' || typeof error.path !== 'string') {
    return undefined;
  }
  const problem = FILE_SYSTEM_PROBLEMS[error.code] ?? `cannot be read or written (${error.code})`;
  return `${error.path}: ${problem}`;
}

const FILE_SYSTEM_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ELOOP: 'a symbolic link loop (too many levels of symbolic links)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
};

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
  readonly strict: boolean;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'check' && command !== 'diff') {
    throw new InputError(command === undefined ? USAGE : `unknown command '${command}'\n${USAGE}`);
  }
  const paths: string[] = [];
  let format = 'text';
  let failOn = 'error';
  let output: string | undefined;
  let requireVersions = false;
  let strict = false;
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
    } else if (arg === '--strict') {
      strict = true;
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
  return { command, paths, format, failOn, output, requireVersions, strict };
}
