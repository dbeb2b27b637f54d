/*
 * Starts the integration tests with @vscode/test-electron. On a machine that reaches Microsoft it
 * downloads desktop VS Code as usual; where VSCODE_EXECUTABLE_PATH is set (CI here, see
 * .ci/vscode-e2e/run-tests.js) that "executable" runs the same suite in code-server's VS Code.
 * The last line printed is the suite's plain `N passed, N failed`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const repositoryRoot = path.resolve(__dirname, '../../..');
// The extension under test: the checkout by default, or the staged, bundled package tree
// (out/vsix, see .ci/package-vsix.js) to test what the .vsix ships.
const extensionDevelopmentPath = path.resolve(repositoryRoot, process.env.AZURE_IMAGE_LINT_E2E_EXTENSION || '.');
const artifactsDirectory = path.join(repositoryRoot, '.e2e-artifacts');
const summaryFile = path.join(artifactsDirectory, 'summary.txt');

async function main(): Promise<number> {
  fs.mkdirSync(artifactsDirectory, { recursive: true });
  fs.rmSync(summaryFile, { force: true });
  const profileDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-e2e-profile-'));
  let exitCode = 0;
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      launchArgs: [
        path.join(repositoryRoot, 'test', 'e2e-workspace'),
        '--disable-extensions',
        `--user-data-dir=${path.join(profileDirectory, 'user-data')}`,
        `--extensions-dir=${path.join(profileDirectory, 'extensions')}`,
      ],
    });
  } catch (error) {
    console.error(`Integration tests failed: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  } finally {
    fs.rmSync(profileDirectory, { recursive: true, force: true });
  }
  // The suite writes its summary; without one the run broke before or while the tests ran.
  const summary = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8').trim() : '0 passed, 1 failed';
  if (/ [1-9]\d* failed$/.test(summary)) exitCode = 1;
  console.log(summary);
  return exitCode;
}

void main().then((exitCode) => process.exit(exitCode));
