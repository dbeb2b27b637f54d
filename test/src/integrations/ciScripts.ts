/**
 * Runs the shell scripts of the CI integrations (the GitHub Action, the Azure Pipelines template)
 * as their runners do, offline: `bash --noprofile --norc -eo pipefail` on the script, with the
 * step's environment, and a stand-in `npx` first on the PATH that records its arguments and runs
 * the repository's built command (`server/dist/cli.js`) instead of downloading the package.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../harness/fixtures';

export const builtCli = path.join(repositoryRoot, 'server', 'dist', 'cli.js');

export const packageVersion = (
  JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The arguments the stand-in npx was called with, or undefined when it was not called. */
  npxArguments: string[] | undefined;
}

/**
 * Runs `script` with `environment` in `cwd`. `temporary` holds the stand-in npx and its record.
 * Nothing of this process's environment but PATH (and what Windows needs) reaches the script.
 */
export function runStepScript(script: string, environment: Record<string, string>, cwd: string, temporary: string): ScriptRun {
  const bin = path.join(temporary, 'bin');
  const record = path.join(temporary, 'npx-arguments.txt');
  fs.mkdirSync(bin, { recursive: true });
  fs.rmSync(record, { force: true });
  fs.writeFileSync(
    path.join(bin, 'npx'),
    [
      '#!/usr/bin/env bash',
      '# A stand-in for npx: records its arguments and runs the built command for `--yes azure-image-lint@VERSION`.',
      'printf "%s\\n" "$@" > "$NPX_RECORD"',
      '[[ "$1" == --yes && "$2" == azure-image-lint@* ]] || { echo "unexpected npx arguments: $*" >&2; exit 97; }',
      'shift 2',
      'exec "$NODE_FOR_NPX" "$CLI_FOR_NPX" "$@"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const scriptFile = path.join(temporary, 'step.sh');
  fs.writeFileSync(scriptFile, script);
  const inherited: Record<string, string> = {};
  for (const name of ['SystemRoot', 'TEMP', 'TMP', 'HOME']) if (process.env[name]) inherited[name] = process.env[name]!;
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
    cwd,
    encoding: 'utf8',
    env: {
      ...inherited,
      PATH: [bin, path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
      NPX_RECORD: record,
      NODE_FOR_NPX: process.execPath,
      CLI_FOR_NPX: builtCli,
      ...environment,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    npxArguments: fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trimEnd().split('\n') : undefined,
  };
}

/** Runs the built command with `args` in `cwd`, as the scripts should. */
export function runBuiltCli(args: readonly string[], cwd: string) {
  const result = spawnSync(process.execPath, [builtCli, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
