// Plumbing for the live scenarios: find the real tools (java, javac, jcmd, ss, node), compile the Java servers once,
// start processes on free loopback ports, drive load at them, wait for the failure to show, capture it the way a
// responder would (`jcmd <pid> Thread.print`, `ss -tanp`, a Node diagnostic report) and stop everything afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const liveRoot = __dirname;

/** The files of one capture, by the name they are stored under in test/fixtures/dumps/live/<scenario>/. */
export type Capture = Record<string, string>;
const javaSources = join(liveRoot, 'java');

/** Debian's jars (default-jdk-headless, libtomcat10-java, libhttpclient-java, libhttpcore-java, libokhttp-java). */
const JAR_DIR = '/usr/share/java';
export const JARS = {
  tomcat: [
    'tomcat10-catalina', 'tomcat10-coyote', 'tomcat10-util', 'tomcat10-util-scan', 'tomcat10-juli', 'tomcat10-api',
    'tomcat10-servlet-api', 'tomcat10-jaspic-api', 'tomcat10-annotations-api',
  ],
  httpclient: ['httpclient', 'httpcore', 'commons-logging', 'commons-codec'],
  okhttp: ['okhttp', 'okio'],
} as const;
const PACKAGE_OF_JARS: Record<keyof typeof JARS, string> = {
  tomcat: 'libtomcat10-java',
  httpclient: 'libhttpclient-java + libhttpcore-java',
  okhttp: 'libokhttp-java',
};
const allJars = Object.values(JARS).flat();

export function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, command);
    if (dir !== '' && existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

/** Why a live scenario cannot run on this machine (null when every tool and jar it needs is there). */
export function missingTools(needsJava = true): string | null {
  if (which('ss') === null) return 'ss not on PATH (apt-get install iproute2)';
  if (!needsJava) return null;
  const missing = ['java', 'javac', 'jcmd'].filter((c) => which(c) === null);
  if (missing.length > 0) return `${missing.join(', ')} not on PATH (apt-get install default-jdk-headless)`;
  for (const [group, jars] of Object.entries(JARS) as [keyof typeof JARS, readonly string[]][]) {
    const absent = jars.filter((jar) => !existsSync(join(JAR_DIR, `${jar}.jar`)));
    if (absent.length > 0) return `${absent.map((j) => `${JAR_DIR}/${j}.jar`).join(', ')} missing (apt-get install ${PACKAGE_OF_JARS[group]})`;
  }
  return null;
}

export function classpath(classes: string): string {
  return [classes, ...allJars.map((jar) => join(JAR_DIR, `${jar}.jar`))].join(delimiter);
}

/**
 * Compiles test/live/java once per content: the classes land in a directory named by the hash of the sources, so
 * test files running side by side share one compilation (the first takes a lock, the others wait for it).
 */
export async function compiledClasses(): Promise<string> {
  const files = listJava(javaSources);
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(file));
  const target = join(tmpdir(), `closewait-live-classes-${hash.digest('hex').slice(0, 16)}`);
  const done = join(target, '.compiled');
  const lock = `${target}.lock`;
  const deadline = Date.now() + 180_000;
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 3 minutes for another test to compile ${javaSources} (remove ${lock} if it is stale)`);
      await sleep(200);
      continue;
    }
    try {
      const scratch = `${target}.tmp-${process.pid}`;
      rmSync(scratch, { recursive: true, force: true });
      const result = spawnSync('javac', ['-nowarn', '-Xlint:none', '-encoding', 'UTF-8', '-d', scratch, '-cp', classpath(scratch), ...files], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`javac failed:\n${result.stderr}${result.stdout}`);
      mkdirSync(join(scratch, '.compiled'));
      rmSync(target, { recursive: true, force: true });
      renameSync(scratch, target);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return target;
}

function listJava(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listJava(join(dir, e.name)) : e.name.endsWith('.java') ? [join(dir, e.name)] : []))
    .sort();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Started {
  readonly pid: number;
  readonly name: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Everything one scenario started. `stopAll` kills what is still running (SIGKILL: a deadlocked JVM does not stop
 * politely) and is called from `finally`, so a failing assertion never leaves a process behind.
 */
export class Processes {
  private readonly started: Started[] = [];

  async start(name: string, command: string, args: readonly string[], options: { ready: RegExp; timeoutMs?: number; cwd?: string }): Promise<Started> {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let exited = false;
    const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
    const handle: Started = {
      pid: child.pid ?? -1,
      name,
      output: () => output,
      stop: async () => {
        if (!exited) {
          child.kill('SIGKILL');
          await exit;
        }
      },
    };
    this.started.push(handle);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not print ${options.ready} within ${options.timeoutMs ?? 30_000} ms:\n${output}`)), options.timeoutMs ?? 30_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (options.ready.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => (clearTimeout(timer), reject(error)));
      child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`))));
    });
    return handle;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((p) => p.stop()));
  }
}

/** `ss -tanp` narrowed with ss's own filter to the scenario's ports, as a responder would type it. */
export function ssCommand(ports: readonly number[]): string[] {
  const filter = ports.map((p) => `sport = :${p} or dport = :${p}`).join(' or ');
  return ['ss', '-tanp', `( ${filter} )`];
}

export function captureSockets(ports: readonly number[]): string {
  const [command, ...args] = ssCommand(ports);
  return run(command, args);
}

export function captureThreads(pid: number): string {
  return run('jcmd', [String(pid), 'Thread.print']);
}

function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

export interface SsRow {
  state: string;
  recvQ: number;
  local: string;
  localPort: number;
  peer: string;
  peerPort: number;
  pid: number | null;
}

/** Just enough of ss's rows to wait for a state (the analysis reads the text with the real parser). */
export function ssRows(text: string): SsRow[] {
  const rows: SsRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+\d+\s+(\S+):(\d+|\*)\s+(\S+):(\d+|\*)(.*)$/.exec(line);
    if (!m) continue;
    const pid = /pid=(\d+)/.exec(m[7]);
    rows.push({ state: m[1], recvQ: Number(m[2]), local: m[3], localPort: Number(m[4]), peer: m[5], peerPort: Number(m[6]), pid: pid ? Number(pid[1]) : null });
  }
  return rows;
}

/** Polls `check` until it returns true; on timeout the error says what was awaited and what was last seen. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, seen: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen:\n${seen()}`);
    await sleep(150);
  }
}

export interface Outcome {
  status: number | null;
  error: string | null;
}

/**
 * One HTTP GET from this process with a client-side deadline: like a user or a load balancer, it gives up after
 * `timeoutMs` and closes its end. No connection reuse, so each request is one connection in the listing.
 */
export function get(port: number, path: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? null, error: null }));
      response.on('error', (e) => resolve({ status: response.statusCode ?? null, error: e.message }));
    });
    request.on('timeout', () => request.destroy(new Error('gave up')));
    request.on('error', (e) => resolve({ status: null, error: e.message }));
  });
}

/** `count` requests at once; resolves when all have ended (answered or given up). */
export function burst(port: number, path: string, count: number, timeoutMs: number): Promise<Outcome[]> {
  return Promise.all(Array.from({ length: count }, () => get(port, path, timeoutMs)));
}

/** `concurrency` clients sending requests back to back until `stop` is called: steady load. */
export function steadyLoad(port: number, path: string, concurrency: number): { stop: () => Promise<Outcome[]> } {
  let running = true;
  const outcomes: Outcome[] = [];
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) outcomes.push(await get(port, path, 5_000));
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}
