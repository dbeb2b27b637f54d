/**
 * One fuzz campaign, shared by `npm run fuzz` (long, large inputs) and the short seeded run inside
 * `npm test`: truncations of small files at every position, random mutants of the corpus and the
 * fixtures fed to the core, batches of them to the command line and to a running language server,
 * and the linear-time checks over generated hostile inputs. Everything derives from one seed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkCliOutcome,
  checkLinear,
  elapsedMilliseconds,
  type Failure,
  fuzzCore,
  loadSeeds,
  repositoryRoot,
  runCli,
  type Seed,
  writeMutants,
} from './harness';
import { decodeForCore, generatedInputs, type Mutant, mutateRandomly, Random, truncations } from './mutator';
import { type ServerDocument, ServerTarget } from './serverTarget';
import {
  checkFixApplication,
  checkFraming,
  checkOverlay,
  checkWorkspaceCli,
  generateWorkspace,
  removeWorkspace,
} from './surfaces';

export interface CampaignOptions {
  seed: number;
  /** Random mutants fed to the core. */
  iterations: number;
  /** Stop starting new work after this many minutes (0: no limit). */
  minutes: number;
  /** Files up to this many bytes are truncated at every position (every `truncationStep` bytes). */
  truncationMaximumSize: number;
  truncationStep: number;
  /** How many small files get the truncation treatment. */
  truncationFiles: number;
  /** Mutants per CLI run, and how many CLI runs. */
  cliBatchSize: number;
  cliRuns: number;
  /** Documents per server batch, and how many batches. */
  serverBatchSize: number;
  serverBatches: number;
  /**
   * The generated inputs' n is their full size times this (1 reaches the issue's sizes at 4n);
   * 0 leaves the linear-time checks out.
   */
  linearScale: number;
  /**
   * Generated workspaces (module graphs, file references, hostile configuration and catalog):
   * each through the command line in one format, then with every preferred fix applied.
   */
  workspaces: number;
  /** Hostile catalog overlays and configurations through the loaders and lookups, in process. */
  overlays: number;
  /** Runs of the real server over stdio with split, merged and malformed message frames. */
  framings: number;
  /** Where failing inputs are written (undefined: not written). */
  failureFolder?: string;
}

export interface CampaignResult {
  passed: number;
  failed: number;
  failures: Failure[];
}

export type Log = (line: string) => void;

export async function runCampaign(options: CampaignOptions, log: Log): Promise<CampaignResult> {
  const random = new Random(options.seed);
  const seeds = loadSeeds();
  const started = process.hrtime.bigint();
  const outOfTime = () => options.minutes > 0 && elapsedMilliseconds(started) > options.minutes * 60_000;
  const result: CampaignResult = { passed: 0, failed: 0, failures: [] };
  const record = (failures: Failure[]) => {
    if (failures.length === 0) result.passed++;
    else {
      result.failed++;
      for (const failure of failures) {
        result.failures.push(failure);
        log(`FAIL [${failure.target}] ${failure.input}\n  ${failure.message.split('\n').slice(0, 12).join('\n  ')}`);
        saveFailure(options, failure, result.failures.length);
      }
    }
  };
  log(`seed ${options.seed}: ${seeds.length} seed files`);

  // The surface beyond one file: workspaces, fixes across files, catalogs, message framing. It
  // runs first, so that a run cut short by `minutes` still covers it.
  for (let index = 0; index < options.overlays && !outOfTime(); index++) record(checkOverlay(random));
  if (options.overlays > 0) log(`catalogs: ${options.overlays} hostile overlays and configurations`);
  for (let index = 0; index < options.workspaces && !outOfTime(); index++) {
    const workspace = generateWorkspace(random);
    try {
      const format = random.pick(['text', 'json', 'sarif', 'inventory']);
      const failedBefore = result.failed;
      record(checkWorkspaceCli(workspace, format));
      const fixFailures = checkFixApplication(workspace.root, `a workspace of ${workspace.description}`);
      // Fixes are verified across every file they edit (`core/fixes.ts`): a fix that makes
      // another image unknown fails the run.
      record(fixFailures);
      // A workspace that failed is kept whole, as the fixes left it (rerun the seed for the original).
      if (options.failureFolder && result.failed > failedBefore) {
        const kept = path.join(options.failureFolder, `workspace-${options.seed}-${index}`);
        fs.cpSync(path.dirname(workspace.root), kept, { recursive: true, verbatimSymlinks: true });
        log(`kept in ${kept}`);
      }
      log(`workspaces: ${index + 1}/${options.workspaces} (${format}): ${workspace.description}`);
    } finally {
      removeWorkspace(workspace);
    }
  }
  for (let index = 0; index < options.framings && !outOfTime(); index++) record(await checkFraming(random));
  if (options.framings > 0) log(`framing: ${options.framings} server runs`);

  // Truncation at every position: what an editor sees while a file is typed or pasted.
  const small = seeds.filter((seed) => seed.bytes.length <= options.truncationMaximumSize);
  for (let index = 0; index < Math.min(options.truncationFiles, small.length) && !outOfTime(); index++) {
    const seed = small[(index * 7919 + options.seed) % small.length];
    let checked = 0;
    for (const mutant of truncations(seed.bytes, options.truncationStep)) {
      record(fuzzCore(seed, markInFlight(options, seed, mutant), random.next()));
      checked++;
    }
    log(`truncations: ${path.relative(repositoryRoot, seed.file)} at ${checked} positions`);
  }

  // Random mutants through the core.
  for (let iteration = 0; iteration < options.iterations && !outOfTime(); iteration++) {
    const seed = random.pick(seeds);
    record(fuzzCore(seed, markInFlight(options, seed, mutateRandomly(random, seed.bytes)), random.next()));
    if ((iteration + 1) % 500 === 0) log(`core: ${iteration + 1}/${options.iterations} mutants, ${result.failed} failed`);
  }

  // The command line over folders of mutants, in every output format.
  for (let run = 0; run < options.cliRuns && !outOfTime(); run++) {
    const mutants = Array.from({ length: options.cliBatchSize }, (_, index) => mutantFile(random, seeds, index));
    mutants.push(...configurationMutants(random, seeds));
    const folder = writeMutants(mutants);
    const format = random.pick(['text', 'json', 'sarif', 'inventory']);
    const args = format === 'inventory' ? ['--inventory'] : ['--format', format];
    const outcome = runCli([...args, '--as-of', '2026-11-22', folder]);
    const message = checkCliOutcome(outcome);
    record(
      message
        ? [
            {
              target: 'cli',
              input: `${format} over ${mutants.map((mutant) => `${mutant.name} (${mutant.description})`).join('; ')}`,
              message,
            },
          ]
        : [],
    );
    fs.rmSync(folder, { recursive: true, force: true });
    log(`cli: run ${run + 1}/${options.cliRuns} (${format}), exit ${outcome.status}`);
  }

  // The language server over batches of mutants.
  if (options.serverBatches > 0 && !outOfTime()) {
    const server = await ServerTarget.start();
    try {
      for (let batch = 0; batch < options.serverBatches && !outOfTime() && server.alive; batch++) {
        const documents: ServerDocument[] = Array.from({ length: options.serverBatchSize }, (_, index) => {
          const mutant = mutantFile(random, seeds, index % 4);
          return { name: mutant.name, text: decodeForCore(mutant.bytes), description: mutant.description };
        });
        // Configuration and catalog files open in the editor are read too: send broken ones first.
        const configurations = configurationMutants(random, seeds).map((mutant) => ({
          ...mutant,
          text: decodeForCore(mutant.bytes),
        }));
        documents.unshift(...configurations);
        record(await server.sendBatch(documents));
        if (batch % 5 === 4) await server.closeAll();
        if ((batch + 1) % 10 === 0) log(`server: ${batch + 1}/${options.serverBatches} batches`);
      }
    } finally {
      if (server.alive) await server.stop();
    }
  }

  // Linear time over generated inputs of size n and 4n.
  for (const input of generatedInputs) {
    if (outOfTime() || options.linearScale === 0) break;
    const n = Math.max(4, Math.round(input.fullSize * options.linearScale));
    const failure = checkLinear(input, n);
    record(failure ? [failure] : []);
    log(`linear: ${input.name}, n = ${n}: ${failure ? 'FAILED' : 'ok'}`);
  }

  // The same generated inputs at 4n, through the command line and the server.
  if (!outOfTime() && options.linearScale > 0) {
    const large = generatedInputs.map((input) => ({
      name: input.file,
      bytes: Buffer.from(input.make(4 * Math.max(4, Math.round(input.fullSize * options.linearScale)))),
      description: input.name,
    }));
    const folder = writeMutants(large);
    const outcome = runCli(['--format', 'json', '--as-of', '2026-11-22', folder]);
    const message = checkCliOutcome(outcome);
    record(message ? [{ target: 'cli', input: `generated inputs at 4n`, message }] : []);
    fs.rmSync(folder, { recursive: true, force: true });
    log(`cli: generated inputs at 4n, exit ${outcome.status}`);
    if (options.serverBatches > 0) {
      const server = await ServerTarget.start();
      try {
        for (const input of large) {
          record(
            await server.sendBatch(
              [{ name: input.name, text: input.bytes.toString('utf8'), description: input.description }],
              120_000,
            ),
          );
          if (!server.alive) break;
        }
        log(`server: generated inputs at 4n`);
      } finally {
        if (server.alive) await server.stop();
      }
    }
  }
  // The run ended normally: no input is in flight.
  if (options.failureFolder && fs.existsSync(options.failureFolder)) {
    for (const name of fs.readdirSync(options.failureFolder)) {
      if (name.startsWith(`in-flight-${options.seed}`)) fs.rmSync(path.join(options.failureFolder, name), { force: true });
    }
  }
  return result;
}

const configurationName = 'azure-image-lint.json';
const catalogName = 'our-images.catalog.json';

/**
 * Now and then (one batch in three) a mutated `azure-image-lint.json` that names a catalog file,
 * and a mutated catalog file, placed where the batch's templates find them.
 */
function configurationMutants(random: Random, seeds: readonly Seed[]): { name: string; bytes: Buffer; description: string }[] {
  if (random.below(3) !== 0) return [];
  const configurations = seeds.filter((seed) => path.basename(seed.file) === configurationName);
  const catalogs = seeds.filter((seed) => path.basename(seed.file).endsWith('.catalog.json'));
  const configuration = random.pick(configurations);
  const withCatalog = Buffer.from(configuration.bytes.toString('utf8').replace(/^\s*\{/, `{ "catalog": "${catalogName}",`));
  const result: { seed: Seed; bytes: Buffer; name: string }[] = [
    { seed: configuration, bytes: withCatalog, name: configurationName },
  ];
  if (catalogs.length > 0) {
    const catalog = random.pick(catalogs);
    result.push({ seed: catalog, bytes: catalog.bytes, name: catalogName });
  }
  return result.map(({ seed, bytes, name }) => {
    const mutant = mutateRandomly(random, bytes);
    return { name, bytes: mutant.bytes, description: `${path.relative(repositoryRoot, seed.file)}: ${mutant.description}` };
  });
}

/** A mutant of a random seed, named so that the readers recognise its kind. */
function mutantFile(random: Random, seeds: readonly Seed[], index: number): { name: string; bytes: Buffer; description: string } {
  const seed = random.pick(seeds);
  const mutant = mutateRandomly(random, seed.bytes);
  const base = path.basename(seed.file);
  return {
    name: `${index}-${base}`,
    bytes: mutant.bytes,
    description: `${path.relative(repositoryRoot, seed.file)}: ${mutant.description}`,
  };
}

/**
 * Writes the input about to be analysed to the failure folder, so that an input that kills the
 * whole process (out of memory, say) is still on disk afterwards, with the seed file it came from.
 */
function markInFlight(options: CampaignOptions, seed: Seed, mutant: Mutant): Mutant {
  if (!options.failureFolder) return mutant;
  fs.mkdirSync(options.failureFolder, { recursive: true });
  fs.writeFileSync(path.join(options.failureFolder, `in-flight-${options.seed}${path.extname(seed.file)}`), mutant.bytes);
  fs.writeFileSync(
    path.join(options.failureFolder, `in-flight-${options.seed}.txt`),
    `${path.relative(repositoryRoot, seed.file)}: ${mutant.description}\n`,
  );
  return mutant;
}

function saveFailure(options: CampaignOptions, failure: Failure, index: number): void {
  if (!options.failureFolder || !failure.bytes) return;
  fs.mkdirSync(options.failureFolder, { recursive: true });
  const name = `seed-${options.seed}-${index}-${path.basename(failure.file ?? 'input')}`;
  fs.writeFileSync(path.join(options.failureFolder, name), failure.bytes);
  fs.writeFileSync(path.join(options.failureFolder, `${name}.txt`), `${failure.input}\n${failure.message}\n`);
}
