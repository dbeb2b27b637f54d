/*
 * The test runner that VS Code loads into the extension host (`--extensionTestsPath`). It runs
 * every `*.test.js` beside it with mocha (tdd), prints one line per test and the closing
 * `N passed, N failed`, and writes that summary to .e2e-artifacts/summary.txt for runTest.ts.
 * Lines start with `[e2e] ` so that the code-server driver can pick them out of the browser console.
 * When the driver asks for it (AZURE_IMAGE_LINT_E2E_SCREENSHOT), it then stages the window for the
 * final screenshot: the Bicep fixture with its squiggle, the Problems panel and the hover on the sku.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { stageFinalScreenshot } from './screenshot';

const artifactsDirectory = path.resolve(__dirname, '../../../../.e2e-artifacts');

class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } = Mocha.Runner.constants;
    let passed = 0;
    let failed = 0;
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      passed++;
      console.log(`[e2e]   ok   ${test.fullTitle()}`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => {
      failed++;
      console.log(`[e2e]   FAIL ${test.fullTitle()}`);
      for (const line of (error.stack ?? String(error)).split('\n').slice(0, 12)) {
        console.log(`[e2e]        ${line}`);
      }
    });
    runner.once(EVENT_RUN_END, () => {
      const summary = `${passed} passed, ${failed} failed`;
      fs.mkdirSync(artifactsDirectory, { recursive: true });
      fs.writeFileSync(path.join(artifactsDirectory, 'summary.txt'), `${summary}\n`);
      console.log(`[e2e] ${summary}`);
    });
  }
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: LineReporter });
  // A session may run some files only (AZURE_IMAGE_LINT_E2E_FILES, names without `.test.js`).
  const only = (process.env.AZURE_IMAGE_LINT_E2E_FILES ?? '').split(',').filter(Boolean);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (!file.endsWith('.test.js')) continue;
    if (only.length === 0 || only.includes(file.slice(0, -'.test.js'.length))) mocha.addFile(path.join(__dirname, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  // The final screenshot shows the whole suite's window, not a session of some files.
  const screenshotFile = only.length === 0 ? process.env.AZURE_IMAGE_LINT_E2E_SCREENSHOT : undefined;
  if (screenshotFile) {
    await stageFinalScreenshot(screenshotFile).catch((error: unknown) =>
      console.log(`[e2e] could not stage the final screenshot: ${String(error)}`),
    );
  }
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
