#!/usr/bin/env node
/*
 * A stand-in for the VS Code executable that @vscode/test-electron spawns: it accepts the same
 * command line (--extensionDevelopmentPath=…, --extensionTestsPath=…, a folder to open) and runs the
 * extension's test suite in code-server's VS Code (real workbench, real Node extension host), driven
 * by Debian Chromium through playwright-core. The exit code is the one the workbench reports through
 * `window.codeAutomationExit`, as with desktop VS Code. Artifacts go to .e2e-artifacts/: final.png,
 * code-server.log, browser-console.log and run.log. The last line printed is `N passed, N failed`.
 * Why this route: desktop VS Code cannot be downloaded here (its update server and GitHub are
 * unreachable), and @vscode/test-web runs extensions in the web-worker host, which refuses a Node
 * extension with a Node language server. Install the tools with setup.sh first.
 */
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const repositoryRoot = path.resolve(__dirname, '..', '..');
const artifactsDirectory = process.env.E2E_ARTIFACTS_DIR || path.join(repositoryRoot, '.e2e-artifacts');
const codeServerVersion = process.env.CODE_SERVER_VERSION || '4.100.3';
const codeServerBin =
  process.env.CODE_SERVER_BIN ||
  path.join(os.homedir(), '.cache', 'vscode-e2e', `code-server-${codeServerVersion}`, 'node_modules', '.bin', 'code-server');
const browserPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const runTimeoutMilliseconds = Number(process.env.E2E_TIMEOUT_MS || 300_000);

const startTime = Date.now();
fs.mkdirSync(artifactsDirectory, { recursive: true });
const runLog = fs.createWriteStream(path.join(artifactsDirectory, 'run.log'));
const consoleLog = fs.createWriteStream(path.join(artifactsDirectory, 'browser-console.log'));

function log(message) {
  const line = `[e2e +${((Date.now() - startTime) / 1000).toFixed(1)}s] ${message}`;
  console.log(line);
  runLog.write(`${line}\n`);
}
/** Test output from the suite, printed as it is. */
function relay(line) {
  console.log(line);
  runLog.write(`${line}\n`);
}

/**
 * The parts of VS Code's command line that matter here; the rest is Electron-only and ignored.
 * `--extensionDevelopmentPath` may be given more than once (several extensions under development,
 * as desktop VS Code takes them); `--extensions-dir` is where installed extensions are found.
 */
function parseArguments(argv) {
  const options = { extensionDevelopmentPath: [], extensionTestsPath: undefined, extensionsDir: undefined, folder: undefined };
  for (const argument of argv) {
    const match = /^--([^=]+)=(.*)$/.exec(argument);
    if (match && match[1] === 'extensionDevelopmentPath') options.extensionDevelopmentPath.push(path.resolve(match[2]));
    else if (match && match[1] === 'extensionTestsPath') options.extensionTestsPath = path.resolve(match[2]);
    else if (match && match[1] === 'extensions-dir') options.extensionsDir = path.resolve(match[2]);
    else if (!argument.startsWith('-')) options.folder = path.resolve(argument);
  }
  if (options.extensionDevelopmentPath.length === 0 || !options.extensionTestsPath) {
    throw new Error('expected --extensionDevelopmentPath=… and --extensionTestsPath=… (the @vscode/test-electron command line)');
  }
  return options;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when `stream` prints a line matching `pattern`; rejects on exit or after the timeout. */
function waitForOutput(child, pattern, timeoutMilliseconds, description) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (data) => {
      buffered += data.toString();
      if (pattern.test(buffered)) done(resolve);
    };
    const onExit = (code) => done(() => reject(new Error(`${description}: code-server exited with ${code}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`${description}: timed out`))), timeoutMilliseconds);
    function done(settle) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      settle();
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!fs.existsSync(codeServerBin)) {
    throw new Error(`code-server not found at ${codeServerBin}: run .ci/vscode-e2e/setup.sh first`);
  }
  const { chromium } = require('playwright-core');

  // code-server and everything it starts (extension host, language server) get their own
  // temporary, config, data and cache folders so that a run leaves nothing in /tmp or $HOME.
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-'));
  const port = await freePort();
  const configFile = path.join(temporary, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  for (const folder of ['tmp', 'config', 'data', 'cache', 'extensions']) {
    fs.mkdirSync(path.join(temporary, folder));
  }
  // A clean first-run profile, as test-electron gives desktop VS Code, minus the first-run
  // pages and prompts that would cover the editor in the screenshot.
  fs.mkdirSync(path.join(temporary, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(temporary, 'user-data', 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'workbench.tips.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      'telemetry.telemetryLevel': 'off',
    }),
  );
  const screenshotFile = path.join(artifactsDirectory, 'final.png');
  fs.rmSync(screenshotFile, { force: true });
  fs.rmSync(path.join(artifactsDirectory, 'summary.txt'), { force: true });

  const codeServerLog = fs.createWriteStream(path.join(artifactsDirectory, 'code-server.log'));
  const codeServer = childProcess.spawn(
    codeServerBin,
    [
      '--config',
      configFile,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      path.join(temporary, 'user-data'),
      '--extensions-dir',
      options.extensionsDir || path.join(temporary, 'extensions'),
      ...(options.folder ? [options.folder] : []),
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TMPDIR: path.join(temporary, 'tmp'),
        XDG_CONFIG_HOME: path.join(temporary, 'config'),
        XDG_DATA_HOME: path.join(temporary, 'data'),
        XDG_CACHE_HOME: path.join(temporary, 'cache'),
        // The suite stages the window for this screenshot and waits until it exists.
        AZURE_IMAGE_LINT_E2E_SCREENSHOT: screenshotFile,
      },
    },
  );
  codeServer.stdout.pipe(codeServerLog);
  codeServer.stderr.pipe(codeServerLog);

  let browser;
  let exitCode = 1;
  try {
    await waitForOutput(codeServer, /HTTP server listening/, 60_000, 'starting code-server');
    log(`code-server ${codeServerVersion} up on 127.0.0.1:${port}`);

    browser = await chromium.launch({
      executablePath: browserPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

    let screenshotTaken = false;
    const takeScreenshot = async (waitForHover) => {
      if (screenshotTaken) return;
      screenshotTaken = true;
      if (waitForHover) {
        await page
          .locator('.monaco-hover:visible')
          .first()
          .waitFor({ state: 'visible', timeout: 10_000 })
          .catch(() => log('no hover became visible; taking the screenshot anyway'));
      }
      await page.screenshot({ path: screenshotFile });
      log(`screenshot: ${path.relative(repositoryRoot, screenshotFile)}`);
    };

    // The workbench calls this when the extension host running the tests exits.
    let reportExit;
    const testsFinished = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code) || 0));
    page.on('console', (message) => {
      const text = message.text();
      consoleLog.write(`[${message.type()}] ${text}\n`);
      // Extension-host output arrives prefixed (for example "[Extension Host] "); keep the suite's lines.
      for (const line of text.split('\n')) {
        const marker = line.indexOf('[e2e]');
        if (marker >= 0) relay(line.slice(marker + '[e2e] '.length));
        if (line.includes('[e2e-stage] ready')) {
          takeScreenshot(true).catch((error) => log(`screenshot failed: ${error.message}`));
        }
      }
    });
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack || error.message}\n`));

    const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
    const payload = [
      ...options.extensionDevelopmentPath.map((folder) => ['extensionDevelopmentPath', remote(folder)]),
      ['extensionTestsPath', remote(options.extensionTestsPath)],
    ];
    const query = new URLSearchParams({ payload: JSON.stringify(payload) });
    if (options.folder) query.set('folder', options.folder);
    await page.goto(`http://127.0.0.1:${port}/?${query}`);
    log('workbench loading; waiting for the test run');

    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), runTimeoutMilliseconds);
    });
    const outcome = await Promise.race([testsFinished, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      log(`the test run did not finish within ${runTimeoutMilliseconds / 1000} s`);
      exitCode = 1;
    } else {
      log(`extension host exited with ${outcome}`);
      exitCode = outcome;
    }
    await takeScreenshot(false).catch((error) => log(`screenshot failed: ${error.message}`));
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    await stopProcessGroup(codeServer);
    await new Promise((resolve) => codeServerLog.end(resolve));
    fs.rmSync(temporary, { recursive: true, force: true });
  }
  return exitCode;
}

/** Ends code-server with the extension host and language server it started (one process group). */
function stopProcessGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const forceTimer = setTimeout(() => kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(forceTimer);
      resolve();
    });
    kill('SIGTERM');
  });
}

function summaryLine(exitCode) {
  const summaryFile = path.join(artifactsDirectory, 'summary.txt');
  if (fs.existsSync(summaryFile)) return fs.readFileSync(summaryFile, 'utf8').trim();
  return exitCode === 0 ? '0 passed, 0 failed' : '0 passed, 1 failed';
}

main()
  .catch((error) => {
    log(`error: ${error.stack || error.message}`);
    return 1;
  })
  .then((exitCode) => {
    log(
      `done in ${((Date.now() - startTime) / 1000).toFixed(1)} s; artifacts in ${path.relative(repositoryRoot, artifactsDirectory)}/`,
    );
    const summary = summaryLine(exitCode);
    runLog.end(`${summary}\n`);
    consoleLog.end();
    console.log(summary);
    process.exitCode = exitCode;
  });
