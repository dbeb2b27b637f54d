/**
 * `npm run fuzz [-- --seed N --iterations N --minutes N]`: the long fuzz run. It mutates the
 * corpus and the fixture templates, feeds them to the core, the command line and the language
 * server, checks linear time at the sizes (10,000-deep nesting, 100,000 parameters, 10 MB
 * strings), prints progress and ends with `N passed, N failed`. Failing inputs are written to
 * `azure-image-lint-fuzz-failures/` in the temporary folder, so that they can become regression
 * fixtures; if the run itself dies (out of memory), `in-flight-<seed>.*` there is the input that
 * killed it. Exit status 1 when anything failed.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { runCampaign, type CampaignOptions } from './campaign';

function parseOptions(argv: readonly string[]): CampaignOptions | string {
  const options: CampaignOptions = {
    seed: Date.now() % 1_000_000,
    iterations: 5_000,
    minutes: 30,
    truncationMaximumSize: 4096,
    truncationStep: 1,
    truncationFiles: 12,
    cliBatchSize: 25,
    cliRuns: 20,
    serverBatchSize: 8,
    serverBatches: 100,
    linearScale: 1,
    workspaces: 200,
    overlays: 2_000,
    framings: 100,
    failureFolder: path.join(os.tmpdir(), 'azure-image-lint-fuzz-failures'),
  };
  for (let index = 0; index < argv.length; index++) {
    const name = argv[index];
    const value = Number(argv[index + 1]);
    const takeNumber = (): number | string => {
      index++;
      return Number.isFinite(value) && value >= 0 ? value : `${name} takes a number.`;
    };
    let taken: number | string;
    switch (name) {
      case '--seed':
        taken = takeNumber();
        if (typeof taken === 'string') return taken;
        options.seed = Math.floor(taken);
        break;
      case '--iterations':
        taken = takeNumber();
        if (typeof taken === 'string') return taken;
        options.iterations = Math.floor(taken);
        options.cliRuns = Math.max(1, Math.ceil(taken / 250));
        options.serverBatches = Math.max(1, Math.ceil(taken / 50));
        break;
      case '--minutes':
        taken = takeNumber();
        if (typeof taken === 'string') return taken;
        options.minutes = taken;
        break;
      default:
        return `unknown option '${name}'; use --seed N, --iterations N, --minutes N.`;
    }
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`fuzz: ${options}\n`);
    return 2;
  }
  const started = Date.now();
  const result = await runCampaign(options, (line) => process.stdout.write(`${line}\n`));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.failures.length > 0)
    process.stdout.write(`Failing inputs are in ${options.failureFolder}; rerun with --seed ${options.seed}.\n`);
  process.stdout.write(`seed ${options.seed}, ${seconds} s: ${result.passed} passed, ${result.failed} failed\n`);
  return result.failed > 0 ? 1 : 0;
}

main().then(
  (status) => (process.exitCode = status),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
