// `npm run test:e2e` (after `npm run package` has built the .vsix): installs code-server into the cache
// test/e2e/.install/ if needed, then runs the scenarios (test/e2e/*.test.ts) with node's test runner. Screenshots,
// code-server's log and VS Code's logs land in build/e2e/. Arguments narrow the run to test names matching them
// (node --test-name-pattern), e.g. `node test/e2e/run.mjs "Scan Workspace"`.
//
// code-server is started and always stopped by the tests themselves (also on Ctrl-C); as a last resort this script
// kills the process groups of the code-servers that the run recorded and that are still alive.
//
// Environment: CLOSEWAIT_E2E_VSIX=<file> tests that .vsix instead of closewait-<version>.vsix;
// CLOSEWAIT_E2E_UPDATE_SCREENSHOTS=1 (`npm run screenshots`) rewrites the README's pictures in media/screenshots/
// (editor-diagnostics.png, panel-dark.png, panel-light.png) from this run; without it only a missing one is written.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { CHROMIUM, ensureDebianPackages, JAVAC, LIVE_INCIDENT_TOOLS } from '../setup/debian-packages.mjs';

const here = new URL('.', import.meta.url).pathname;
const repoRoot = join(here, '..', '..');
const artifacts = join(repoRoot, 'build', 'e2e');
const started = Date.now();

function seconds() {
  return `${Math.round((Date.now() - started) / 1000)} s`;
}

// 1. Debian's chromium drives code-server; javac checks that a quick fix still compiles; a JDK, its server libraries
// and ss run the JVM that Capture from Process captures. Then code-server (cached).
if (!ensureDebianPackages([CHROMIUM, JAVAC, ...LIVE_INCIDENT_TOOLS], 'npm run test:e2e')) process.exit(1);
const install = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'support', 'install.ts')], { cwd: repoRoot, stdio: 'inherit' });
if (install.status !== 0) {
  console.error(`e2e: installing code-server failed (exit ${install.status ?? install.signal}); see test/e2e/.install/install.log`);
  process.exit(1);
}

// 2. A clean artifacts folder: screenshots of this run only.
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const pidFile = join(artifacts, 'code-server.pids');

// 3. The scenarios.
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => relative(repoRoot, join(here, f)))
  .sort();
const patterns = process.argv.slice(2).flatMap((p) => ['--test-name-pattern', p]);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...patterns, ...files], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, CLOSEWAIT_E2E_PIDFILE: pidFile },
});

/**
 * Kills what the run started and left behind: only pids it recorded, only if they are still a code-server; and
 * removes their temp folders.
 */
function killLeftovers() {
  if (!existsSync(pidFile)) return;
  for (const line of readFileSync(pidFile, 'utf8').split('\n').filter(Boolean)) {
    const [pidText, root] = line.split('\t');
    const pid = Number(pidText);
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // Gone.
    }
    if (cmdline.includes('code-server')) {
      console.error(`e2e: code-server (pid ${pid}) was still running: stopping its process group`);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (root && basename(root).startsWith('closewait-e2e-') && dirname(root) === tmpdir() && existsSync(root)) {
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // The test process gets Ctrl-C from the terminal too and stops code-server; pass on other signals.
    if (signal !== 'SIGINT') child.kill(signal);
  });
}

child.on('exit', (code, signal) => {
  killLeftovers();
  const shots = existsSync(artifacts) ? readdirSync(artifacts).filter((f) => f.endsWith('.png')) : [];
  console.log(`e2e: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds()}; ${shots.length} screenshots in ${relative(process.cwd(), artifacts) || '.'}/`);
  process.exit(code ?? (signal ? 1 : 0));
});
