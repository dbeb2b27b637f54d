#!/usr/bin/env node
/**
 * The `azure-image-lint` command: parses arguments, scans the given files and folders with the
 * core (folder walks skip what `.gitignore` and `--exclude` skip), sets aside what a baseline
 * records, prints text, JSON or SARIF to standard output or `--output`, and exits 0 (nothing fails
 * the run), 1 (a finding at or above `--fail-level`, more warnings than `--max-warnings`, or with
 * `--fail-on-problems` a file not analysed) or 2 (bad usage, an unreadable path, a bad
 * configuration or baseline file, an output that cannot be written). Never a stack trace: an
 * unexpected failure is reported on stderr with exit status 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDay } from './core/catalog/lifecycle';
import type { Finding, Problem, Severity } from './core/model';
import { type CliArguments, type FailLevel, parseArguments, usage } from './cli/arguments';
import type * as Baseline from './cli/baseline';
import {
  explainRule,
  type FileNamer,
  formatProblem,
  formatText,
  inventoryChunks,
  type JsonBaseline,
  jsonReportChunks,
  PositionConverter,
  unknownRuleMessage,
} from './cli/formats';
import { RepositoryPaths } from './cli/repositoryPaths';
import type * as Sarif from './cli/sarif';
import { directWriter } from './node/directOutput';
import { findRepositoryRoot } from './node/gitignore';
import { readTextFile } from './node/nodeFileHost';
import { scanFilesInParallel } from './node/parallelScan';
import { collectFiles } from './node/scan';

// Taken from package.json so that the version stays the package's (the bundle inlines it when built).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const toolVersion: string = (require('../../package.json') as { version: string }).version;

/**
 * The scan thread's script, next to this file: `server/out/node/` for the compiled CLI, and
 * `server/dist/node/` for the bundled one, where the build puts the bundled thread.
 */
const scanWorkerModule = path.join(__dirname, 'node', 'scanWorker.js');

export async function main(
  argv: readonly string[],
  write: (text: string) => void,
  writeError: (text: string) => void,
): Promise<number> {
  const parsed = parseArguments(argv);
  if ('error' in parsed) {
    writeError(`azure-image-lint: ${parsed.error}\n${usage}\n`);
    return 2;
  }
  const options = parsed.arguments;
  if (options.help) {
    write(`${usage}\n`);
    return 0;
  }
  if (options.version) {
    write(`${toolVersion}\n`);
    return 0;
  }
  if (options.explain !== undefined) {
    const text = explainRule(options.explain);
    if (!text) {
      writeError(`azure-image-lint: ${unknownRuleMessage(options.explain)}\n`);
      return 2;
    }
    write(text);
    return 0;
  }
  if (options.paths.length === 0) {
    writeError(`azure-image-lint: no file or folder given.\n${usage}\n`);
    return 2;
  }
  const cwd = process.cwd();
  if (options.root !== undefined && !isFolder(options.root)) {
    writeError(`azure-image-lint: --root: ${options.root} is not a folder.\n`);
    return 2;
  }
  const workspace = [cwd, ...(options.root === undefined ? [] : [path.resolve(options.root)])];
  const collected = collectFiles(options.paths, {
    useGitignore: options.ignore,
    exclude: options.exclude,
    cwd,
    roots: workspace,
  });
  // Many files are scanned on several threads; the output is the same as a sequential scan's.
  const result = await scanFilesInParallel(
    collected.files,
    // Other files are read inside the current folder and the folders given (`node/fileAccess.ts`).
    {
      asOf: options.asOf,
      today: formatDay(new Date()),
      configFile: options.config,
      roots: [...workspace, ...collected.roots],
    },
    scanWorkerModule,
  );
  const readText = (file: string) => result.host.readFile(file);
  const positions = new PositionConverter(readText);
  // The repository's root is looked for only when something needs it (SARIF, a baseline, --root).
  let repositoryPaths: RepositoryPaths | undefined;
  const paths = () => (repositoryPaths ??= new RepositoryPaths(options.root ?? findRepositoryRoot(cwd) ?? cwd, cwd));
  const name: FileNamer | undefined = options.root !== undefined ? (file) => paths().display(file) : undefined;
  // Unreadable paths and bad configuration, catalog or baseline files are usage errors (exit
  // status 2); a template that does not parse, a folder that cannot be read or a link not
  // followed is reported in the output, and fails the run only with --fail-on-problems.
  const usageProblems: Problem[] = [...collected.problems, ...result.configurationProblems];
  const reportedProblems = [...collected.walkProblems, ...result.problems];

  const baselined = applyBaseline(options, result.findings, readText, paths, usageProblems);
  const reported = baselined.reported;
  const shown = options.quiet ? reported.filter((finding) => finding.severity === 'error') : reported;
  const status = usageProblems.length > 0 ? 2 : failsTheRun(options, reported, reportedProblems) ? 1 : 0;

  // The report in pieces, each written as it comes: a JSON report or an inventory can list more
  // candidates than one string holds.
  let report: Iterable<string>;
  switch (options.format) {
    case 'json':
      report = jsonReportChunks(result.asOf, shown, [...usageProblems, ...reportedProblems], result.images, positions, {
        name,
        baseline: baselined.json,
      });
      break;
    case 'sarif': {
      // Loaded only when asked for, to keep the start of every other run short.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sarif = require('./cli/sarif') as typeof Sarif;
      report = [
        sarif.formatSarif({
          findings: shown,
          identities: baselined.identities(shown),
          problems: reportedProblems,
          configurationProblems: usageProblems,
          problemsFail: options.failOnProblems,
          toolVersion,
          positions,
          paths: paths(),
        }),
      ];
      break;
    }
    case 'text':
      report = options.inventory
        ? inventoryChunks(result.images, positions, name)
        : [formatText(shown, reportedProblems, positions, name, problemLevel(options))];
      break;
  }
  let outputFailed = false;
  if (options.output === undefined) for (const chunk of report) write(chunk);
  else {
    const error = writeOutputFile(options.output, report);
    if (error !== undefined) {
      usageProblems.push({ file: options.output, message: error });
      outputFailed = true;
    }
  }

  for (const problem of usageProblems) writeError(`azure-image-lint: ${problem.message}\n`);
  // The files that could not be analysed are in every report; on stderr too, unless the report
  // is the text on standard output, where they already are.
  if (options.format !== 'text' || options.inventory || options.output !== undefined)
    for (const problem of reportedProblems) writeError(`${formatProblem(problem, positions, name, problemLevel(options))}\n`);
  for (const line of baselined.messages) writeError(`${line}\n`);
  if (options.format === 'text' && !options.inventory) {
    const counts = countSeverities(reported);
    // Problems are counted only when there are some, so a clean run's summary stays the same.
    const notAnalysed = reportedProblems.length > 0 ? `; ${reportedProblems.length} problem(s)` : '';
    writeError(
      `${result.files.length} file(s) analysed: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} info${notAnalysed}.\n`,
    );
  }
  return outputFailed ? 2 : status;
}

/** The findings levels `--fail-level` makes fail the run. */
const failingLevels: Record<FailLevel, readonly Severity[]> = {
  error: ['error'],
  warning: ['error', 'warning'],
  info: ['error', 'warning', 'information'],
  none: [],
};

/** Whether what is reported (after the baseline, before --quiet) fails the run. */
function failsTheRun(options: CliArguments, reported: readonly Finding[], problems: readonly Problem[]): boolean {
  const failing = failingLevels[options.failLevel];
  if (reported.some((finding) => failing.includes(finding.severity))) return true;
  if (options.maxWarnings !== undefined && countSeverities(reported).warning > options.maxWarnings) return true;
  return options.failOnProblems && problems.length > 0;
}

/** Problems are errors when they fail the run. */
function problemLevel(options: CliArguments): 'Error' | 'Warning' {
  return options.failOnProblems ? 'Error' : 'Warning';
}

interface BaselineOutcome {
  /** The findings to report: all, less those the baseline (or the one written) records. */
  reported: Finding[];
  /** The identity of each of the given findings (loaded only when asked for). */
  identities(findings: readonly Finding[]): Baseline.BaselineEntry[];
  /** What the JSON report says of the baseline. */
  json?: JsonBaseline;
  /** Lines for stderr: what was suppressed, fixed or written. */
  messages: string[];
}

/**
 * Reads `--baseline` and writes `--write-baseline`. A baseline that cannot be read or written
 * is a usage problem; the findings are then all reported.
 */
function applyBaseline(
  options: CliArguments,
  findings: readonly Finding[],
  readText: (file: string) => string | undefined,
  paths: () => RepositoryPaths,
  usageProblems: Problem[],
): BaselineOutcome {
  let baselineModule: typeof Baseline | undefined;
  // Loaded only when needed: it brings node:crypto.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => (baselineModule ??= require('./cli/baseline') as typeof Baseline);
  const identitiesOf = new Map<Finding, Baseline.BaselineEntry>();
  let identified = false;
  const identify = () => {
    if (!identified) {
      load()
        .identifyFindings(findings, readText, paths())
        .forEach((entry, index) => identitiesOf.set(findings[index], entry));
      identified = true;
    }
    return identitiesOf;
  };
  const outcome: BaselineOutcome = {
    reported: [...findings],
    identities: (some) => some.map((finding) => identify().get(finding) as Baseline.BaselineEntry),
    messages: [],
  };
  if (options.baseline !== undefined) {
    const read = readTextFile(options.baseline, 100 * 1024 * 1024);
    const parsed = 'error' in read ? read : load().parseBaseline(read.text, options.baseline);
    if ('error' in parsed) usageProblems.push({ file: options.baseline, message: parsed.error });
    else {
      const current = outcome.identities(findings);
      const compared = load().compareWithBaseline(current, parsed.entries);
      outcome.reported = findings.filter((_, index) => !compared.suppressed[index]);
      const suppressed = findings.length - outcome.reported.length;
      outcome.json = { file: options.baseline, suppressed, fixed: compared.fixed };
      outcome.messages.push(
        `Baseline ${options.baseline}: ${suppressed} finding(s) suppressed, ${compared.fixed.length} fixed since it was written.`,
      );
      for (const entry of compared.fixed) outcome.messages.push(`Fixed: ${entry.file}: ${entry.code} (${entry.image})`);
    }
  }
  if (options.writeBaseline !== undefined) {
    const entries = outcome.identities(findings);
    const error = writeOutputFile(options.writeBaseline, load().formatBaseline(entries));
    if (error !== undefined) usageProblems.push({ file: options.writeBaseline, message: error });
    else {
      // What was just recorded is accepted: the run reports none of it.
      outcome.reported = [];
      outcome.messages.push(`Baseline ${options.writeBaseline} written: ${entries.length} finding(s).`);
    }
  }
  return outcome;
}

/** Writes UTF-8 without a byte order mark, creating the folder; gives a message on failure. */
function writeOutputFile(file: string, text: string | Iterable<string>): string | undefined {
  let descriptor: number | undefined;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    if (typeof text === 'string') {
      fs.writeFileSync(file, Buffer.from(text, 'utf8'));
      return undefined;
    }
    descriptor = fs.openSync(file, 'w');
    for (const chunk of text) fs.writeSync(descriptor, Buffer.from(chunk, 'utf8'));
    fs.closeSync(descriptor);
    descriptor = undefined;
    return undefined;
  } catch (error) {
    if (descriptor !== undefined) fs.closeSync(descriptor);
    const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : String(error);
    return `${file}: cannot be written (${code}).`;
  }
}

function isFolder(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

function countSeverities(findings: readonly { severity: string }[]) {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 } as Record<string, number>;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/**
 * Runs the command with this process's arguments, standard output and standard error (written
 * directly, `node/directOutput.ts`), and sets its exit status. The compiled `server/out/cli.js`
 * calls it when it is the main module; the bundled command's launcher (`cliLauncher.ts`) calls it
 * after loading the bundle.
 */
export function runCommandLine(): void {
  // Output that cannot be written (a full disk, `/dev/full`) is one line on stderr and status 2;
  // a reader that went away (`| head`) is not an error at all.
  let outputFailed = false;
  const writeError = directWriter(
    2,
    () => process.stderr,
    undefined,
    undefined,
    () => {
      outputFailed = true;
      process.exitCode = 2;
    },
  );
  const write = directWriter(
    1,
    () => process.stdout,
    undefined,
    undefined,
    (error) => {
      outputFailed = true;
      process.exitCode = 2;
      writeError(`azure-image-lint: cannot write the output (${error.code ?? error.message}).\n`);
    },
  );
  const fail = (error: unknown): number => {
    writeError(`azure-image-lint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  };
  let run: Promise<number>;
  try {
    run = main(process.argv.slice(2), write, writeError);
  } catch (error) {
    run = Promise.resolve(fail(error));
  }
  void run.catch(fail).then((status) => {
    process.exitCode = outputFailed ? 2 : status;
  });
}

if (require.main === module) runCommandLine();
