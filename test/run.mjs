// Runs every `*.test.ts` under test/ (except the end-to-end suite, which has its own command) with node's
// built-in test runner; TypeScript is loaded through tsx. Arguments narrow the run to paths containing them.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CHROMIUM, ensureDebianPackages, LIVE_INCIDENT_TOOLS } from './setup/debian-packages.mjs';

const root = new URL('.', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'e2e' ? [] : collect(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = collect(root)
  .map((file) => relative(process.cwd(), file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(2);
}
// The panel's tests drive the real page in Debian's headless Chromium (playwright-core never downloads a browser).
const needsChromium = files.some((file) => /playwright-core|from '\.\/browser'/.test(readFileSync(file, 'utf8')));
if (needsChromium && !ensureDebianPackages([CHROMIUM])) process.exit(1);
// The live incidents (test/live) start JVMs and Node servers: they need a JDK, Debian's Java libraries and the socket
// tools (installed here when we can; where we cannot, each scenario skips with the reason), and they run after the
// rest, alone, so that their CPU use never lands on the tests beside them.
const liveDir = relative(process.cwd(), join(root, 'live')) + sep;
const live = files.filter((file) => file.startsWith(liveDir));
if (live.length > 0) ensureDebianPackages(LIVE_INCIDENT_TOOLS, 'npm test (live incidents)');
const phases = [files.filter((file) => !live.includes(file)), live].filter((phase) => phase.length > 0);
let status = 0;
for (const phase of phases) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...phase],
    { stdio: 'inherit' },
  );
  status ||= result.status ?? 1;
}
process.exit(status);
