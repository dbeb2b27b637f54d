#!/usr/bin/env node
/**
 * The `azure-image-lint` command: parses arguments, scans the given files and folders with the
 * core, prints text, JSON or SARIF, and exits 0 (no error-level finding), 1 (an error-level
 * finding) or 2 (bad usage, an unreadable path, a bad configuration). Never a stack trace: an
 * unexpected failure is reported on stderr with exit status 2.
 */
import { formatDay } from './core/catalog/lifecycle';
import { parseArguments, usage } from './cli/arguments';
import { explainRule, formatInventory, formatJson, formatText, PositionConverter, unknownRuleMessage } from './cli/formats';
import type * as Sarif from './cli/sarif';
import * as path from 'node:path';
import { directWriter } from './node/directOutput';
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
  const collected = collectFiles(options.paths);
  // Many files are scanned on several threads; the output is the same as a sequential scan's.
  const result = await scanFilesInParallel(
    collected.files,
    // Other files are read inside the current folder and the folders given (`node/fileAccess.ts`).
    { asOf: options.asOf, today: formatDay(new Date()), configFile: options.config, roots: [process.cwd(), ...collected.roots] },
    scanWorkerModule,
  );
  const positions = new PositionConverter((file) => result.host.readFile(file));
  // Unreadable paths and bad configuration or catalog files are usage errors (exit status 2);
  // a template that does not parse is reported in the output and leaves the status alone.
  const usageProblems = [...collected.problems, ...result.configurationProblems];
  const reportedProblems = result.problems;
  switch (options.format) {
    case 'json':
      write(formatJson(result.asOf, result.findings, [...usageProblems, ...reportedProblems], result.images, positions));
      break;
    case 'sarif':
      // Loaded only when asked for, to keep the start of every other run short.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      write((require('./cli/sarif') as typeof Sarif).formatSarif(result.findings, toolVersion, positions));
      break;
    case 'text':
      write(
        options.inventory ? formatInventory(result.images, positions) : formatText(result.findings, reportedProblems, positions),
      );
      break;
  }
  for (const problem of usageProblems) writeError(`azure-image-lint: ${problem.message}\n`);
  if (options.format === 'text' && !options.inventory) {
    const counts = countSeverities(result.findings);
    writeError(
      `${result.files.length} file(s) analysed: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} info.\n`,
    );
  }
  if (usageProblems.length > 0) return 2;
  return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
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
