/*
 * Starts the integration tests with @vscode/test-electron. On a machine that reaches Microsoft it
 * downloads desktop VS Code as usual; where VSCODE_EXECUTABLE_PATH is set (CI here, see
 * .ci/vscode-e2e/run-tests.js) that "executable" runs the same suite in code-server's VS Code.
 *
 * Three sessions, each in a fresh profile: two with a stand-in for the official Bicep extension
 * (test/e2e-bicep-standin: its language ids, file extensions and grammar scope, no code), which run
 * the suite about living beside it, once with the stand-in loaded before this extension and once
 * after it (VS Code registers installed extensions before those under development: the stand-in is
 * installed in the profile, or is the extension under development while this one is installed);
 * then the whole suite alone. The last line
 * printed is the sessions' summed `N passed, N failed`.
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
const standInFolder = path.join(repositoryRoot, 'test', 'e2e-bicep-standin');
const standInManifest = JSON.parse(fs.readFileSync(path.join(standInFolder, 'package.json'), 'utf8'));
const ourManifest = JSON.parse(fs.readFileSync(path.join(extensionDevelopmentPath, 'package.json'), 'utf8'));

interface Session {
  name: string;
  /** How the Bicep stand-in is loaded, if at all (the suite reads it as AZURE_IMAGE_LINT_E2E_BICEP). */
  bicep?: 'loads-first' | 'loads-last';
  /** The test files to run (names without `.test.js`); all when absent. */
  files?: string;
}

const sessions: Session[] = [
  { name: 'beside Bicep, Bicep loaded first', bicep: 'loads-first', files: 'bicepCoexistence' },
  { name: 'beside Bicep, Bicep loaded last', bicep: 'loads-last', files: 'bicepCoexistence' },
  { name: 'alone' },
];

async function runSession(session: Session): Promise<{ passed: number; failed: number }> {
  console.log(`Integration tests: ${session.name}`);
  fs.rmSync(summaryFile, { force: true });
  const profileDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-e2e-profile-'));
  const extensionsDirectory = path.join(profileDirectory, 'extensions');
  fs.mkdirSync(extensionsDirectory);
  // VS Code registers installed extensions before those under development: the stand-in is
  // installed to load first; to load last, it is the one under development and this extension is
  // installed (a link to the extension under test, as a user's install would be a copy).
  let developmentPath = extensionDevelopmentPath;
  if (session.bicep === 'loads-first') {
    const { publisher, name, version } = standInManifest;
    fs.cpSync(standInFolder, path.join(extensionsDirectory, `${publisher}.${name}-${version}`), { recursive: true });
  } else if (session.bicep === 'loads-last') {
    const { publisher, name, version } = ourManifest;
    fs.symlinkSync(extensionDevelopmentPath, path.join(extensionsDirectory, `${publisher}.${name}-${version}`), 'dir');
    developmentPath = standInFolder;
  }
  let failedToRun = false;
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: developmentPath,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      extensionTestsEnv: {
        AZURE_IMAGE_LINT_E2E_BICEP: session.bicep ?? '',
        AZURE_IMAGE_LINT_E2E_FILES: session.files ?? '',
      },
      launchArgs: [
        path.join(repositoryRoot, 'test', 'e2e-workspace'),
        // The profile is fresh: its extensions folder holds the stand-in or nothing.
        ...(session.bicep ? [] : ['--disable-extensions']),
        `--user-data-dir=${path.join(profileDirectory, 'user-data')}`,
        `--extensions-dir=${extensionsDirectory}`,
      ],
    });
  } catch (error) {
    console.error(`Integration tests (${session.name}) failed: ${error instanceof Error ? error.message : String(error)}`);
    failedToRun = true;
  } finally {
    fs.rmSync(profileDirectory, { recursive: true, force: true });
  }
  // The suite writes its summary; without one the run broke before or while the tests ran.
  const summary = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8').trim() : '0 passed, 1 failed';
  const counts = /^(\d+) passed, (\d+) failed$/.exec(summary);
  const passed = counts ? Number(counts[1]) : 0;
  const failed = counts ? Number(counts[2]) : 1;
  return { passed, failed: failed === 0 && failedToRun ? 1 : failed };
}

async function main(): Promise<number> {
  fs.mkdirSync(artifactsDirectory, { recursive: true });
  let passed = 0;
  let failed = 0;
  for (const session of sessions) {
    const result = await runSession(session);
    passed += result.passed;
    failed += result.failed;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

void main().then((exitCode) => process.exit(exitCode));
