/**
 * The fuzz targets: the core (every reader through `analyzeDocument`, hover and completion), the
 * command line and the running language server. Each target takes mutated inputs and returns the
 * failures it saw instead of throwing, so that one run reports every broken input with the seed
 * and mutation that made it. `run.ts` (npm run fuzz) and `fuzz.test.ts` (npm test) share it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { analyzeDocument, type AnalysisSettings } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { completionsAt } from '../../../server/out/core/completion';
import { hoverAt } from '../../../server/out/core/hover';
import type { FileHost } from '../../../server/out/core/model';
import { corpusRoot } from '../harness/fixtures';
import { decodeForCore, type GeneratedInput, type Mutant } from './mutator';

export const repositoryRoot = path.resolve(__dirname, '../../..');
export { corpusRoot };
export const fixturesRoot = path.join(repositoryRoot, 'test', 'fixtures');
export const cliModule = path.join(repositoryRoot, 'server', 'out', 'cli.js');
export const fuzzDate = '2026-11-22';

export const coreSettings: AnalysisSettings = { catalog: bundledCatalog, config: { rules: {} }, asOf: fuzzDate };

export interface Failure {
  target: 'core' | 'cli' | 'server' | 'time';
  /** The seed file (or generated input) and the mutation applied to it. */
  input: string;
  message: string;
  /** The bytes that failed, so that a run can save them as a regression fixture. */
  bytes?: Buffer;
  /** The name the bytes were analysed under. */
  file?: string;
}

/** A seed file: its path (the name the core sees) and its bytes. */
export interface Seed {
  file: string;
  bytes: Buffer;
}

const seedExtensions = /\.(jsonc?|bicep|bicepparam)$/i;

function listFiles(root: string, into: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    // The corpus lies among the fixtures; it is listed once, as itself.
    if (entry.isDirectory() && full === corpusRoot) continue;
    if (entry.isDirectory()) listFiles(full, into);
    else if (entry.isFile() && seedExtensions.test(entry.name)) into.push(full);
  }
}

/** The corpus and fixture templates, in a stable order, skipping files above `maximumSize`. */
export function loadSeeds(maximumSize = 256 * 1024): Seed[] {
  const files: string[] = [];
  listFiles(corpusRoot, files);
  listFiles(fixturesRoot, files);
  return files.filter((file) => fs.statSync(file).size <= maximumSize).map((file) => ({ file, bytes: fs.readFileSync(file) }));
}

/** A host backed by the seed files, with mutated texts layered over them; it records what was read. */
export class MapFileHost implements FileHost {
  readonly reads = new Set<string>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly fallback?: (file: string) => string | undefined) {}

  set(file: string, text: string): void {
    this.texts.set(path.resolve(file), text);
  }

  readFile(file: string): string | undefined {
    this.reads.add(file);
    const resolved = path.resolve(file);
    if (this.texts.has(resolved)) return this.texts.get(resolved);
    return this.fallback?.(resolved);
  }

  listFolder(folder: string): string[] {
    const resolved = path.resolve(folder === '' ? '.' : folder);
    const names = new Set<string>();
    for (const file of this.texts.keys()) if (path.dirname(file) === resolved) names.add(path.basename(file));
    try {
      for (const name of fs.readdirSync(resolved)) names.add(name);
    } catch {
      // A folder that does not exist on disk lists only the layered texts.
    }
    return [...names];
  }
}

/** Reads seed files from disk for the host's fallback (templates reference their neighbours). */
export function diskText(file: string): string | undefined {
  try {
    if (!fs.statSync(file).isFile() || fs.statSync(file).size > 10 * 1024 * 1024) return undefined;
    return decodeForCore(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** The names a text is analysed under: its own, and each kind of reader's. */
export function namesFor(file: string): string[] {
  const folder = path.dirname(file);
  const stem = path.basename(file).replace(/(\.parameters)?\.(jsonc?|bicep|bicepparam)$/i, '');
  return [
    file,
    path.join(folder, `${stem}.fuzz.json`),
    path.join(folder, `${stem}.parameters.json`),
    path.join(folder, `${stem}.fuzz.bicep`),
    path.join(folder, `${stem}.bicepparam`),
  ];
}

/** A generous time budget for one analysis: two seconds plus two milliseconds per kilobyte. */
export function timeBudget(length: number): number {
  return 2000 + (2 * length) / 1024;
}

export function elapsedMilliseconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs the core on one text under one name: analysis, then hover and completion at an offset.
 * A throw, a range outside the text or an analysis over its time budget is a failure.
 */
export function checkCore(file: string, text: string, host: FileHost, offset: number): string | undefined {
  const start = process.hrtime.bigint();
  try {
    const result = analyzeDocument(file, text, host, coreSettings);
    const outside = (range: { start: number; end: number } | undefined) =>
      range !== undefined &&
      !(
        Number.isInteger(range.start) &&
        Number.isInteger(range.end) &&
        0 <= range.start &&
        range.start <= range.end &&
        range.end <= text.length
      );
    for (const finding of result.findings) {
      if (path.resolve(finding.location.file) !== path.resolve(file)) continue;
      if (outside(finding.location.range))
        return `finding ${finding.code} has a range outside the text: ${JSON.stringify(finding.location.range)}`;
      for (const fix of finding.fixes) {
        for (const edit of fix.edits) {
          if (path.resolve(edit.file) === path.resolve(file) && outside(edit.range))
            return `a fix of ${finding.code} edits outside the text: ${JSON.stringify(edit.range)}`;
        }
      }
    }
    // Readers turn an exception into an "internal error" problem rather than throw: for the
    // fuzz run that is still a crash to find and fix.
    const internal = result.problems.find((problem) => /internal error/i.test(problem.message));
    if (internal) return `internal error: ${internal.message}`;
    for (const problem of result.problems) {
      if (path.resolve(problem.file) === path.resolve(file) && outside(problem.range))
        return `problem "${problem.message}" has a range outside the text`;
    }
    for (const site of result.sites) {
      if (path.resolve(site.use.file) === path.resolve(file) && outside(site.use.range))
        return `an image site has a range outside the text`;
    }
    hoverAt(file, text, offset, host, coreSettings);
    completionsAt(file, text, offset, host, coreSettings);
  } catch (error) {
    return `threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  const elapsed = elapsedMilliseconds(start);
  if (elapsed > 3 * timeBudget(text.length)) return `took ${elapsed.toFixed(0)} ms for ${text.length} characters`;
  return undefined;
}

/** Feeds one mutant of a seed to the core under every reader's name. */
export function fuzzCore(seed: Seed, mutant: Mutant, offsetFraction: number): Failure[] {
  const text = decodeForCore(mutant.bytes);
  const failures: Failure[] = [];
  for (const name of namesFor(seed.file)) {
    const host = new MapFileHost(diskText);
    host.set(name, text);
    const message = checkCore(name, text, host, Math.floor(offsetFraction * (text.length + 1)));
    if (message)
      failures.push({
        target: 'core',
        input: `${path.relative(repositoryRoot, seed.file)} as ${path.basename(name)}: ${mutant.description}`,
        message,
        bytes: mutant.bytes,
        file: name,
      });
  }
  return failures;
}

// A full garbage collection before each timed run, so that one run does not pay for the garbage
// of the run before it: without it, large inputs measure the collector more than the analysis.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/**
 * Checks that a generated input of size 4n costs well under 16 times (quadratic) what size n
 * costs. Runs of the two sizes alternate, so that both see the same load from other processes,
 * and the fastest run of each counts (noise only ever adds time). Times below a floor are raised
 * to it so that timer noise on tiny inputs cannot fail the check. A ratio over the limit is
 * measured once more with twice the runs before it counts as a failure: a real quadratic cost
 * fails both times, a burst of load from elsewhere does not.
 */
export function checkLinear(input: GeneratedInput, n: number, repeats = 5, floorMilliseconds = 10): Failure | undefined {
  const file = path.join(os.tmpdir(), 'azure-image-lint-fuzz', input.file);
  const texts = [input.make(n), input.make(4 * n)];
  const timeOnce = (text: string): { time: number; error?: string } => {
    collectGarbage();
    const start = process.hrtime.bigint();
    const host = new MapFileHost();
    host.set(file, text);
    const error = checkCore(file, text, host, Math.floor(text.length / 2));
    return { time: elapsedMilliseconds(start), error };
  };
  const measure = (runs: number): { small: number; large: number; error?: string } => {
    const fastest = [Infinity, Infinity];
    let total = 0;
    for (let run = 0; run < runs && (run < 2 || total < 2000); run++) {
      for (const index of [0, 1]) {
        const outcome = timeOnce(texts[index]);
        if (outcome.error) return { small: 0, large: 0, error: outcome.error };
        fastest[index] = Math.min(fastest[index], outcome.time);
        total += outcome.time;
      }
    }
    return { small: fastest[0], large: fastest[1] };
  };
  timeOnce(texts[0]); // Warms up the code paths the input takes.
  let measured = measure(repeats);
  const ratioOf = (times: { small: number; large: number }) => times.large / Math.max(times.small, floorMilliseconds);
  if (!measured.error && ratioOf(measured) >= 10) measured = measure(2 * repeats);
  if (measured.error) return { target: 'core', input: `${input.name}, n = ${n}`, message: measured.error };
  const ratio = ratioOf(measured);
  if (ratio >= 10) {
    return {
      target: 'time',
      input: `${input.name}, n = ${n} and ${4 * n}`,
      message: `${measured.small.toFixed(1)} ms for n, ${measured.large.toFixed(1)} ms for 4n: ${ratio.toFixed(1)}x, more than linear`,
    };
  }
  return undefined;
}

/** What the CLI printed for a folder of mutated files. */
export interface CliOutcome {
  status: number | null;
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

export function runCli(args: readonly string[], timeout = 120_000): CliOutcome {
  const result = spawnSync(process.execPath, [cliModule, ...args], { encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', signal: result.signal };
}

const stackFrame = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;

/** Checks one CLI run: exit status 0, 1 or 2, no stack trace, no internal error. */
export function checkCliOutcome(outcome: CliOutcome): string | undefined {
  if (outcome.signal) return `killed by ${outcome.signal} (time-out or crash)`;
  if (outcome.status === null || ![0, 1, 2].includes(outcome.status))
    return `exit status ${outcome.status}; stderr: ${outcome.stderr.slice(0, 2000)}`;
  if (stackFrame.test(outcome.stderr)) return `stack trace on stderr: ${outcome.stderr.slice(0, 2000)}`;
  if (/internal error/i.test(outcome.stderr)) return `internal error: ${outcome.stderr.slice(0, 2000)}`;
  return undefined;
}

/** Writes mutants into a fresh temporary folder under their seeds' names; returns the folder. */
export function writeMutants(mutants: readonly { name: string; bytes: Buffer }[]): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-fuzz-'));
  for (const mutant of mutants) {
    const target = path.join(folder, mutant.name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, mutant.bytes);
  }
  return folder;
}
