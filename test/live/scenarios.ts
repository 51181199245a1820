// The live incidents of issue 15: each starts real processes on loopback, drives them into the failure, waits until
// the failure shows in `ss`, and captures it with the real tools. What each capture must yield lives in
// expectations.ts, shared with the fixture test that replays the stored captures without a JDK.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  burst,
  captureSockets,
  captureThreads,
  classpath,
  freePort,
  liveRoot,
  sleep,
  ssRows,
  steadyLoad,
  waitUntil,
  type Capture,
  type Processes,
  type SsRow,
  type Started,
} from './harness';

export interface CaptureContext {
  processes: Processes;
  /** Compiled test/live/java classes; null for scenarios that need no JVM. */
  classes: string | null;
}

export interface Scenario {
  /** Directory of the stored capture. */
  name: string;
  title: string;
  needsJava: boolean;
  capture(context: CaptureContext): Promise<Capture>;
}

/** Small heaps, a quick JIT and one GC thread: many JVMs start side by side on a shared 2-core machine. */
const JVM_FLAGS = ['-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k'];

export function java(context: CaptureContext, name: string, mainClass: string, args: readonly (string | number)[], flags: readonly string[] = []) {
  if (context.classes === null) throw new Error(`${name} needs the compiled Java classes`);
  return context.processes.start(name, 'java', [...JVM_FLAGS, ...flags, '-cp', classpath(context.classes), mainClass, ...args.map(String)], { ready: /READY/ });
}

/**
 * A script of test/live/node. With `reportDir`, started so that `kill -USR2 <pid>` makes it write its diagnostic
 * report there (`node --report-on-signal`), as a responder would start a service they expect to examine.
 */
export function node(context: CaptureContext, name: string, [script, ...args]: readonly (string | number)[], reportDir?: string) {
  const report = reportDir !== undefined ? ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${reportDir}`, '--report-filename=node-report.json'] : [];
  return context.processes.start(name, process.execPath, [...report, join(liveRoot, 'node', String(script)), ...args.map(String)], { ready: /READY/ });
}

function ss(ports: readonly number[]): SsRow[] {
  return ssRows(captureSockets(ports));
}

/** Outbound connections a process holds to its own port: the inner calls of a self-call. */
function selfCalls(rows: readonly SsRow[], pid: number, port: number): SsRow[] {
  return rows.filter((r) => r.pid === pid && r.peerPort === port && r.localPort !== port && r.state === 'ESTAB');
}

function count(rows: readonly SsRow[], state: string, port?: number): number {
  return rows.filter((r) => r.state === state && (port === undefined || r.localPort === port)).length;
}

function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'closewait-live-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/**
 * A server whose /report handler calls its own port: 8 users ask for a report and give up after 1.5 s. The 4
 * workers all wait for inner calls that need a free worker; the users' connections stay in CLOSE_WAIT. Resolves once
 * `ss` shows it (also used by the capture tests, which then capture the server themselves).
 */
export async function selfCallDeadlock(start: (port: number) => Promise<Started>, minInner = 4): Promise<{ server: Started; port: number }> {
  const port = await freePort();
  const server = await start(port);
  await burst(port, '/report', 8, 1500);
  await waitUntil(
    `${minInner} inner calls of pid ${server.pid} to its own port ${port} and users' connections in CLOSE_WAIT`,
    () => {
      const rows = ss([port]);
      return selfCalls(rows, server.pid, port).length >= minInner && count(rows, 'CLOSE-WAIT', port) >= 4;
    },
    () => captureSockets([port]),
  );
  return { server, port };
}

async function selfCallCapture(start: (port: number, dir: string) => Promise<Started>, minInner: number): Promise<Capture> {
  return withTempDir(async (dir) => {
    const { server, port } = await selfCallDeadlock((port) => start(port, dir), minInner);
    return { 'thread-dump.txt': captureThreads(server.pid), 'ss.txt': captureSockets([port]) };
  });
}

function httpServerSelfCall(name: string, title: string, client: string, pool: 'named' | 'default', ipv4: boolean): Scenario {
  return {
    name,
    title,
    needsJava: true,
    capture: (context) =>
      selfCallCapture(
        (port) => java(context, name, 'live.SelfCallHttpServer', [port, client, pool], ipv4 ? ['-Djava.net.preferIPv4Stack=true'] : []),
        4,
      ),
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'tomcat-apache-self-call',
    title: '1. embedded Tomcat 10 (maxThreads 4) whose servlet calls its own port with Apache HttpClient',
    needsJava: true,
    // The shared client's pool allows 2 connections per route: 2 workers read, 2 wait to lease one.
    capture: (context) => selfCallCapture((port, dir) => java(context, 'tomcat', 'live.SelfCallTomcat', [port, dir, 'self-call']), 2),
  },
  httpServerSelfCall(
    'httpserver-urlconnection-self-call',
    '2. com.sun.net.httpserver (pool http-worker-N) calling its own port with HttpURLConnection, IPv4-mapped listener',
    'urlconnection',
    'named',
    false,
  ),
  httpServerSelfCall(
    'httpserver-urlconnection-ipv4-self-call',
    '2. com.sun.net.httpserver (default pool-N-thread-M names) calling its own port with HttpURLConnection, plain IPv4 listener',
    'urlconnection',
    'default',
    true,
  ),
  httpServerSelfCall('httpserver-okhttp-self-call', '2. com.sun.net.httpserver calling its own port with OkHttp, IPv4-mapped listener', 'okhttp', 'named', false),
  httpServerSelfCall('httpserver-okhttp-ipv4-self-call', '2. com.sun.net.httpserver calling its own port with OkHttp, plain IPv4 listener', 'okhttp', 'default', true),
  httpServerSelfCall('httpserver-jdk-httpclient-self-call', '2. com.sun.net.httpserver calling its own port with java.net.http.HttpClient', 'jdk', 'named', false),
  {
    name: 'tomcat-apache-pool-exhaustion',
    title: '3. Tomcat servlet leaking Apache HttpClient responses: maxPerRoute 10 reached, requests parked in the lease',
    needsJava: true,
    capture: (context) =>
      withTempDir(async (dir) => {
        const backendPort = await freePort();
        await node(context, 'backend', ['server.mjs', 'big-body', backendPort]);
        const port = await freePort();
        const front = await java(context, 'tomcat', 'live.PoolExhaustionTomcat', [port, dir, backendPort]);
        // Ten quotes are answered (each leaking its connection), the other six park in the pool; users give up.
        await burst(port, '/quote', 16, 2000);
        await waitUntil(
          `10 connections of pid ${front.pid} to the backend closed by it (CLOSE_WAIT) and 6 users given up`,
          () => {
            const rows = ss([port, backendPort]);
            const leased = rows.filter((r) => r.pid === front.pid && r.peerPort === backendPort && r.state === 'CLOSE-WAIT').length;
            return leased >= 10 && count(rows, 'CLOSE-WAIT', port) >= 6;
          },
          () => captureSockets([port, backendPort]),
        );
        return { 'thread-dump.txt': captureThreads(front.pid), 'ss.txt': captureSockets([port, backendPort]) };
      }),
  },
  {
    name: 'socket-server-leak',
    title: '4. a socket server that answers and never closes: clients hang up, CLOSE_WAIT piles up',
    needsJava: true,
    capture: async (context) => {
      const port = await freePort();
      const server = await java(context, 'leaking-server', 'live.LeakingSocketServer', [port]);
      const outcomes = await burst(port, '/status', 30, 5000);
      const answered = outcomes.filter((o) => o.status === 200).length;
      if (answered !== 30) throw new Error(`the leaking server answered ${answered} of 30 requests`);
      await waitUntil(`30 connections in CLOSE_WAIT on port ${port}`, () => count(ss([port]), 'CLOSE-WAIT', port) >= 30, () => captureSockets([port]));
      return { 'thread-dump.txt': captureThreads(server.pid), 'ss.txt': captureSockets([port]) };
    },
  },
  {
    name: 'node-server-never-ends',
    title: '5. a Node http.createServer whose handler never ends the response, 12 Node clients waiting',
    needsJava: false,
    capture: (context) =>
      withTempDir(async (dir) => {
        const port = await freePort();
        const server = await node(context, 'node-server', ['server.mjs', 'never-ends', port], dir);
        const clients = await node(context, 'node-clients', ['client.mjs', 'wait', port, 12]);
        await waitUntil(
          `12 connections from pid ${clients.pid} to port ${port} accepted by pid ${server.pid}`,
          () => ss([port]).filter((r) => r.pid === server.pid && r.localPort === port && r.state === 'ESTAB').length >= 12,
          () => captureSockets([port]),
        );
        return { 'ss.txt': captureSockets([port]), 'node-report.json': await nodeReport(server.pid, dir) };
      }),
  },
  {
    name: 'node-fetch-unread-bodies',
    title: '5. a Node client whose fetch() response bodies are never read: the server closes, the client never does',
    needsJava: false,
    capture: (context) =>
      withTempDir(async (dir) => {
        const port = await freePort();
        await node(context, 'node-server', ['server.mjs', 'big-body', port]);
        const client = await node(context, 'node-client', ['client.mjs', 'unread-fetch', port, 16], dir);
        await waitUntil(
          `16 connections of pid ${client.pid} to port ${port} in CLOSE_WAIT`,
          () => ss([port]).filter((r) => r.pid === client.pid && r.state === 'CLOSE-WAIT').length >= 16,
          () => captureSockets([port]),
        );
        return { 'ss.txt': captureSockets([port]), 'node-report.json': await nodeReport(client.pid, dir) };
      }),
  },
  {
    name: 'tomcat-healthy',
    title: '6. a healthy Tomcat (maxThreads 4) busy under 8 concurrent users',
    needsJava: true,
    capture: (context) =>
      withTempDir(async (dir) => {
        const port = await freePort();
        const server = await java(context, 'tomcat', 'live.SelfCallTomcat', [port, dir, 'healthy']);
        return underSteadyLoad(port, () => ({ 'thread-dump.txt': captureThreads(server.pid), 'ss.txt': captureSockets([port]) }));
      }),
  },
  {
    name: 'node-healthy',
    title: '6. a healthy Node server busy under 8 concurrent users',
    needsJava: false,
    capture: (context) =>
      withTempDir(async (dir) => {
        const port = await freePort();
        const server = await node(context, 'node-server', ['server.mjs', 'answers', port], dir);
        return underSteadyLoad(port, async () => ({ 'ss.txt': captureSockets([port]), 'node-report.json': await nodeReport(server.pid, dir) }));
      }),
  },
];

/** Captures in the middle of a steady load (8 users, each sending its next request as soon as one is answered). */
async function underSteadyLoad(port: number, capture: () => Capture | Promise<Capture>): Promise<Capture> {
  const load = steadyLoad(port, '/report', 8);
  try {
    await sleep(1500);
    return await capture();
  } finally {
    const outcomes = await load.stop();
    const failed = outcomes.filter((o) => o.status !== 200);
    if (failed.length > 0) throw new Error(`the healthy server failed ${failed.length} of ${outcomes.length} requests: ${failed[0].error}`);
  }
}

/** `kill -USR2 <pid>` on a process started with --report-on-signal, then the report file it writes. */
async function nodeReport(pid: number, dir: string): Promise<string> {
  process.kill(pid, 'SIGUSR2');
  const file = join(dir, 'node-report.json');
  let text = '';
  await waitUntil(
    `the diagnostic report of pid ${pid}`,
    () => {
      try {
        text = readFileSync(file, 'utf8');
        return text.trimEnd().endsWith('}');
      } catch {
        return false;
      }
    },
    () => text.slice(0, 200),
    10_000,
  );
  return scrubReport(text);
}

/**
 * A diagnostic report carries the process's whole environment and the machine's network interfaces: neither
 * belongs in a stored fixture (nor in a paste to a ticket), and the analysis reads neither.
 */
function scrubReport(text: string): string {
  const report = JSON.parse(text) as { environmentVariables?: unknown; header?: { networkInterfaces?: { internal?: boolean }[]; host?: string } };
  report.environmentVariables = { note: 'removed by test/live: not needed for the analysis' };
  if (report.header !== undefined) {
    report.header.host = 'live-test';
    if (Array.isArray(report.header.networkInterfaces)) report.header.networkInterfaces = report.header.networkInterfaces.filter((i) => i.internal === true);
  }
  return `${JSON.stringify(report, null, 2)}\n`;
}
