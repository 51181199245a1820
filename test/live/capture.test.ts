// `closewait capture` against real processes on loopback, as a responder runs it (the built CLI): a JDK 17 server
// deadlocked on calls to its own port, captured by pid and by name; a capture interrupted with Ctrl-C and one whose
// jcmd hangs (the JVM stopped) keep what they took; a JVM under a launcher of its own (rmiregistry) found through
// jcmd -l; Node.js servers whose reports come through the inspector and through --report-on-signal, and one where
// neither works. Every process is stopped in `finally`/`after`, even when an assertion fails.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CaptureRecord } from '../../src/capture/index';
import type { DumpReport } from '../../src/dump/index';
import { cliPath } from '../helpers';
import { captureSockets, compiledClasses, freePort, liveRoot, missingTools, Processes, ssRows, waitUntil, which, type Started } from './harness';
import { java, selfCallDeadlock } from './scenarios';

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The built CLI, run asynchronously (the servers under test live in other processes; this one stays responsive).
 * With `prefix`, `args` starts with the command that runs it (runuser ... --) and the CLI's own arguments follow.
 */
function closewait(args: readonly string[], options: { interruptAfterMs?: number; cwd?: string; prefix?: boolean } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const [command, ...rest] = options.prefix ? [...args.slice(0, args.indexOf('capture')), process.execPath, cliPath, ...args.slice(args.indexOf('capture'))] : [process.execPath, cliPath, ...args];
    const child = spawn(command, rest, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const interrupt = options.interruptAfterMs !== undefined ? setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs) : undefined;
    const deadline = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(interrupt);
      clearTimeout(deadline);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** `runuser -u nobody -- ... capture`: the CLI as an ordinary user, when this test runs as root. */
function asOtherUser(): string[] | null {
  if (process.getuid?.() !== 0) return null;
  if (spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0) return null;
  return ['runuser', '-u', 'nobody', '--', 'capture'];
}

interface JsonOutput {
  capture: CaptureRecord;
  folder: string;
  analysis: DumpReport;
}

function json(run: CliRun): JsonOutput {
  assert.ok(run.stdout.startsWith('{'), `JSON on stdout; stderr: ${run.stderr}`);
  return JSON.parse(run.stdout) as JsonOutput;
}

/** Milliseconds between the captures, from the times the capture recorded. */
function gaps(record: CaptureRecord): number[] {
  const times = record.files.map((f) => Date.parse(f.time));
  return times.slice(1).map((t, k) => t - times[k]);
}

function withOut<T>(body: (out: string) => Promise<T>): Promise<T> {
  const out = mkdtempSync(join(tmpdir(), 'closewait-capture-'));
  return body(out).finally(() => rmSync(out, { recursive: true, force: true }));
}

const javaMissing = missingTools(true);

describe('closewait capture: a JVM deadlocked on calls to its own port', { skip: javaMissing ?? false, timeout: 240_000 }, () => {
  const processes = new Processes();
  const marker = `capture-test-${process.pid}-${Date.now()}`;
  let server: Started;
  let port: number;

  before(async () => {
    const classes = await compiledClasses();
    ({ server, port } = await selfCallDeadlock((p) =>
      java({ processes, classes }, 'capture-jvm', 'live.SelfCallHttpServer', [p, 'urlconnection', 'named'], [`-Dclosewait.test=${marker}`]),
    ));
  });
  after(() => processes.stopAll());

  test('by pid: 3 thread dumps 1 s apart, each with its socket listing; the self-call named and proven; the files written', async (t) => {
    await withOut(async (out) => {
      const run = await closewait(['capture', String(server.pid), '--dumps', '3', '--interval', '1s', '--out', out, '--format', 'json']);
      assert.equal(run.status, 0, run.stderr);
      const { capture, analysis } = json(run);
      t.diagnostic(`3 captures of pid ${server.pid} in ${capture.ms} ms (the CLI ran ${run.ms} ms); thread dumps ${capture.files.map((f) => f.threadsMs).join(', ')} ms, socket listings ${capture.files.map((f) => f.socketsMs).join(', ')} ms`);

      assert.equal(capture.target.pid, server.pid);
      assert.equal(capture.target.main, 'live.SelfCallHttpServer');
      assert.deepEqual(capture.missing, []);
      assert.equal(capture.files.length, 3);
      assert.ok(capture.files.every((f) => f.threads && f.sockets && !f.report));
      for (const gap of gaps(capture)) assert.ok(gap >= 900 && gap < 5000, `captures ${gaps(capture).join(', ')} ms apart`);

      const verdict = analysis.verdicts[0];
      assert.equal(verdict?.kind, 'self-call-deadlock', analysis.verdicts.map((v) => v.title).join('; '));
      assert.match(verdict.title, new RegExp(`port ${port}\\b`));
      assert.ok(verdict.confidence >= 0.9, `confidence ${verdict.confidence}`);
      assert.equal(verdict.evidence.details.basis, 'proven');
      assert.equal(analysis.dumps.length, 3);
      assert.equal(analysis.overTime?.dumps.length, 3, 'the three dumps form one series over time');
      assert.ok(analysis.overTime.stuck.some((s) => /http-worker/.test(s.name)), 'the workers are stuck across the dumps');

      const names = readdirSync(out).sort();
      const dumps = names.filter((n) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.txt$/.test(n));
      assert.deepEqual(dumps, capture.files.map((f) => f.name), 'one file per capture, named by its time');
      assert.deepEqual(names.filter((n) => !dumps.includes(n)), ['analysis.json', 'analysis.md', 'capture.json']);
      assert.deepEqual(JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')).verdicts[0].title, verdict.title);
      assert.match(readFileSync(join(out, 'analysis.md'), 'utf8'), new RegExp(`Self-call deadlock on port ${port}`));
      assert.equal(JSON.parse(readFileSync(join(out, 'capture.json'), 'utf8')).target.pid, server.pid);
      for (const name of dumps) {
        const text = readFileSync(join(out, name), 'utf8');
        assert.ok(text.startsWith(`$ jcmd ${server.pid} Thread.print -l\n${server.pid}:\n`), text.slice(0, 100));
        const listing = text.slice(text.indexOf('$ ss -tanp\n'));
        assert.ok(listing.length > 20, `${name} holds the socket listing`);
        // Narrowed to the JVM: other processes' rows are gone, the listeners of the host stay.
        const rows = ssRows(listing);
        assert.ok(rows.some((r) => r.pid === server.pid && r.state === 'CLOSE-WAIT'));
        assert.deepEqual(rows.filter((r) => r.state !== 'LISTEN' && r.pid !== server.pid), [], `${name}: only the JVM's connections`);
      }
    });
  });

  test('by name: the one process whose command line holds the pattern; text report with the capture on top', async () => {
    await withOut(async (out) => {
      const run = await closewait(['capture', marker, '--dumps', '2', '--interval', '500ms', '--out', out]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^CloseWait capture\\n\\n {2}Target {3}pid ${server.pid} SelfCallHttpServer \\(JVM live\\.SelfCallHttpServer`));
      assert.match(run.stdout, /Taken {4}2 of 2 captures, 500 ms apart/);
      assert.match(run.stdout, /Each {5}thread dump [\d.]+ m?s( to [\d.]+ m?s)?, socket listing [\d.]+ m?s/);
      assert.match(run.stdout, /Sockets {2}ss: \d+ of \d+ kept \(pid \d+ and every listener\)/);
      assert.match(run.stdout, new RegExp(`1\\. Self-call deadlock on port ${port} +\\[self-call-deadlock`));
      assert.match(run.stdout, /Over time: 2 dumps of pid \d+/);
      assert.match(run.stderr, /thread dump 1 of 2\n {2}socket listing 1 of 2\n {2}thread dump 2 of 2/);
      // Under a second apart: the names carry milliseconds.
      assert.equal(readdirSync(out).filter((n) => /T\d\d-\d\d-\d\d\.\d{3}Z\.txt$/.test(n)).length, 2);
    });
  });

  test('Ctrl-C after the first capture: exit 3, the first capture written and analysed, the rest said missing', async () => {
    await withOut(async (out) => {
      const run = await closewait(['capture', String(server.pid), '--dumps', '5', '--interval', '3s', '--out', out, '--format', 'json'], { interruptAfterMs: 2000 });
      assert.equal(run.status, 3, run.stderr);
      const { capture, analysis } = json(run);
      assert.equal(capture.interrupted, true);
      assert.equal(capture.files.length, 1);
      assert.deepEqual(capture.missing, ['captures 2 to 5 of 5: cancelled']);
      assert.match(run.stderr, /stopping; keeping what was captured/);
      assert.match(run.stderr, /missing: captures 2 to 5 of 5: cancelled/);
      assert.equal(analysis.verdicts[0]?.kind, 'self-call-deadlock');
      assert.equal(readdirSync(out).length, 4);
    });
  });

  test('run as another user: jcmd is refused, the message says whose JVM it is and what to run; the listings are still taken', { skip: asOtherUser() === null ? 'needs root, runuser and the user nobody' : false }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'closewait-capture-'));
    try {
      // nobody may write the folder, not the JVM's owner's files.
      spawnSync('chmod', ['777', out]);
      const run = await closewait([...(asOtherUser() ?? []), String(server.pid), '--dumps', '1', '--out', out, '--format', 'json'], { prefix: true, cwd: tmpdir() });
      assert.equal(run.status, 3, run.stderr);
      const { capture } = json(run);
      assert.match(
        capture.missing[0] ?? '',
        new RegExp(`^thread dump 1 of 1: jcmd exited 1: .*\\. pid ${server.pid} runs as root, not nobody, and the JDK's tools attach only as the JVM's own user: run sudo -u root closewait capture ${server.pid} \\(or sudo -u root jcmd ${server.pid} Thread\\.print -l\\)$`),
      );
      assert.equal(capture.files.length, 1, 'the socket listing is kept');
      // ss shows the owners of another user's sockets only to root: the listing stays whole, and says so.
      assert.match(capture.sockets.unfiltered ?? '', /no socket in the listing names pid \d+/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('a JVM that cannot answer (stopped): jcmd times out, the socket listings are still taken; exit 3 says what is missing', async () => {
    await withOut(async (out) => {
      process.kill(server.pid, 'SIGSTOP');
      let run: CliRun;
      try {
        run = await closewait(['capture', String(server.pid), '--dumps', '2', '--interval', '0', '--timeout', '2s', '--out', out, '--format', 'json']);
      } finally {
        process.kill(server.pid, 'SIGCONT');
      }
      assert.equal(run.status, 3, run.stderr);
      const { capture, analysis } = json(run);
      assert.match(capture.missing[0] ?? '', /^thread dump 1 of 2: jcmd timed out after 2\.\d s/);
      assert.equal(capture.missing.length, 1, 'one refusal is said once, not retried every capture');
      assert.equal(capture.files.length, 2);
      assert.ok(capture.files.every((f) => f.sockets && !f.threads));
      assert.ok(run.ms < 30_000, `bounded: ${run.ms} ms`);
      assert.equal(analysis.threads.total, 0);
      assert.ok(analysis.sockets.items.some((s) => s.pid === server.pid && s.state === 'CLOSE_WAIT'));
    });
  });
});

describe('closewait capture: a JVM under a launcher of its own (rmiregistry), known to jcmd -l only', { skip: javaMissing ?? (which('rmiregistry') === null ? 'rmiregistry not on PATH' : false), timeout: 120_000 }, () => {
  const processes = new Processes();
  const marker = `capture-launcher-${process.pid}-${Date.now()}`;
  let registry: Started;

  before(async () => {
    // Its command line starts with rmiregistry, not java: only the JDK's tools tell that it is a JVM.
    registry = await processes.start('rmiregistry', 'rmiregistry', ['-J-Xmx64m', '-J-XX:+UseSerialGC', '-J-XX:+PrintCommandLineFlags', `-J-Dclosewait.test=${marker}`, '0'], { ready: /UseSerialGC/ });
    await waitUntil(`rmiregistry (pid ${registry.pid}) to listen`, () => ssRows(spawnSync('ss', ['-tlnp'], { encoding: 'utf8' }).stdout).some((r) => r.pid === registry.pid), () => registry.output());
  });
  after(() => processes.stopAll());

  test('by pid: its thread dump and its sockets, named by the main class jcmd -l reports', async () => {
    await withOut(async (out) => {
      const run = await closewait(['capture', String(registry.pid), '--dumps', '1', '--out', out, '--format', 'json']);
      assert.equal(run.status, 0, run.stderr);
      const { capture, analysis } = json(run);
      assert.equal(capture.target.runtime, 'java');
      assert.equal(capture.target.main, 'java.rmi/sun.rmi.registry.RegistryImpl');
      assert.equal(capture.target.name, 'RegistryImpl');
      assert.match(capture.target.commandLine, /^rmiregistry /);
      assert.deepEqual(capture.missing, []);
      assert.equal(analysis.threads.total > 0, true, 'the dump was read');
      assert.ok(readFileSync(join(out, capture.files[0].name), 'utf8').startsWith(`$ jcmd ${registry.pid} Thread.print -l\n`));
      assert.equal(capture.sockets.unfiltered, null);
      assert.ok(analysis.sockets.items.some((s) => s.pid === registry.pid && s.state === 'LISTEN'), 'its listening socket is kept');
    });
  });

  test('by name: no command line names a JVM that matches, so jcmd -l is asked; the one it lists is captured', async () => {
    await withOut(async (out) => {
      const run = await closewait(['capture', marker, '--dumps', '1', '--out', out]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`Target {3}pid ${registry.pid} RegistryImpl \\(JVM java\\.rmi/sun\\.rmi\\.registry\\.RegistryImpl`));
    });
  });
});

describe('closewait capture: Node.js servers, their diagnostic reports', { skip: missingTools(false) ?? false, timeout: 180_000 }, () => {
  test('through the inspector (SIGUSR1, closed again), by pid and by name: a server that never answers is named', async (t) => {
    const processes = new Processes();
    const marker = `capture-node-${process.pid}-${Date.now()}`;
    try {
      const port = await freePort();
      // --inspect-port=0: the inspector SIGUSR1 opens takes a free port (9229 may be another process's here).
      const server = await processes.start('node-server', process.execPath, ['--inspect-port=0', join(liveRoot, 'node', 'server.mjs'), 'never-ends', String(port), marker], { ready: /READY/ });
      await processes.start('node-clients', process.execPath, [join(liveRoot, 'node', 'client.mjs'), 'wait', String(port), '6'], { ready: /READY/ });
      const listening = (): number[] => ssRows(spawnSync('ss', ['-tlnp'], { encoding: 'utf8' }).stdout).filter((r) => r.pid === server.pid).map((r) => r.localPort);
      await waitUntil(`6 connections accepted by pid ${server.pid}`, () => ssRows(captureSockets([port])).filter((r) => r.pid === server.pid && r.state === 'ESTAB').length >= 6, () => captureSockets([port]));
      const before = listening();

      await withOut(async (out) => {
        const run = await closewait(['capture', String(server.pid), '--dumps', '2', '--interval', '1s', '--out', out, '--format', 'json']);
        assert.equal(run.status, 0, run.stderr);
        const { capture, analysis } = json(run);
        t.diagnostic(`2 reports of pid ${server.pid} in ${capture.ms} ms (opening the inspector included): reports ${capture.files.map((f) => f.threadsMs).join(', ')} ms, socket listings ${capture.files.map((f) => f.socketsMs).join(', ')} ms`);
        assert.equal(capture.target.runtime, 'node');
        assert.match(capture.reports ?? '', /^the inspector on 127\.0\.0\.1:\d+ \(opened with SIGUSR1\)$/);
        assert.ok(capture.notes.some((n) => /was closed again/.test(n)), capture.notes.join('; '));
        assert.ok(capture.files.every((f) => f.report && f.sockets));
        for (const gap of gaps(capture)) assert.ok(gap >= 900, `captures ${gaps(capture).join(', ')} ms apart`);
        assert.ok(analysis.inputs.every((i) => new RegExp(`Node\\.js diagnostic report, v[\\d.]+, pid ${server.pid}`).test(i.label)), analysis.inputs.map((i) => i.label).join('; '));
        assert.equal(analysis.verdicts[0]?.kind, 'slow-peer', analysis.verdicts.map((v) => v.title).join('; '));
        assert.match(analysis.verdicts[0].title, new RegExp(`:${port} \\(pid ${server.pid}\\)`));
        const text = readFileSync(join(out, capture.files[0].name), 'utf8');
        assert.match(text, /"environmentVariables": \{\s*"note": "removed by closewait capture/);
        assert.doesNotMatch(text, /"PATH":/, 'no environment in a file meant for a ticket');
        // The inspector's own sockets are the capture's, not the incident's.
        const inspector = Number(/:(\d+) /.exec(capture.reports ?? '')?.[1]);
        assert.ok(!analysis.sockets.items.some((s) => s.local.port === inspector), `no row on the inspector's port ${inspector}`);
      });
      await waitUntil('the inspector the capture opened to close', () => listening().length === before.length, () => String(listening()), 5_000);

      await withOut(async (out) => {
        const run = await closewait(['capture', marker, '--dumps', '1', '--out', out]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, new RegExp(`Target {3}pid ${server.pid} server\\.mjs \\(Node\\.js`));
        assert.match(run.stdout, /1\. Slow peer: Node\.js server on 127\.0\.0\.1:\d+/);
      });
    } finally {
      await processes.stopAll();
    }
  });

  test('run as another user: not permitted to signal the process; the message names its user and what to run', { skip: asOtherUser() === null ? 'needs root, runuser and the user nobody' : false }, async () => {
    const processes = new Processes();
    const out = mkdtempSync(join(tmpdir(), 'closewait-capture-'));
    try {
      spawnSync('chmod', ['777', out]);
      const server = await processes.start('node-server', process.execPath, [join(liveRoot, 'node', 'server.mjs'), 'answers', String(await freePort())], { ready: /READY/ });
      const run = await closewait([...(asOtherUser() ?? []), String(server.pid), '--dumps', '1', '--out', out, '--format', 'json'], { prefix: true, cwd: tmpdir() });
      assert.equal(run.status, 3, run.stderr);
      assert.deepEqual(json(run).capture.missing, [
        `Node.js diagnostic reports: not permitted to signal pid ${server.pid} (it runs as root): run sudo -u root closewait capture ${server.pid}; or restart it with --report-on-signal`,
      ]);
      assert.ok(!/Debugger listening/.test(server.output()));
    } finally {
      await processes.stopAll();
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('neither way: a process that handles SIGUSR1 itself opens no inspector; the message says so and what to do, the socket listings are kept', async () => {
    const processes = new Processes();
    try {
      const port = await freePort();
      const script = `process.on('SIGUSR1', () => {}); require('node:http').createServer(() => {}).listen(${port}, '127.0.0.1', () => console.log('READY'));`;
      const server = await processes.start('node-sigusr1', process.execPath, ['-e', script], { ready: /READY/ });
      await withOut(async (out) => {
        const run = await closewait(['capture', String(server.pid), '--dumps', '2', '--interval', '0', '--timeout', '2s', '--out', out, '--format', 'json']);
        assert.equal(run.status, 3, run.stderr);
        const { capture, analysis } = json(run);
        assert.deepEqual(capture.missing, [
          `Node.js diagnostic reports: pid ${server.pid} opened no inspector after SIGUSR1 (it may handle SIGUSR1 itself, run with --disable-sigusr1, or another process holds its inspector port 9229); no diagnostic report: restart it with --report-on-signal to have one next time`,
        ]);
        assert.match(run.stderr, /missing: Node\.js diagnostic reports: .* restart it with --report-on-signal/);
        assert.equal(capture.reports, null);
        assert.equal(capture.files.length, 2);
        assert.ok(capture.files.every((f) => f.sockets && !f.report));
        assert.ok(analysis.sockets.items.some((s) => s.pid === server.pid && s.state === 'LISTEN' && s.local.port === port));
        assert.ok(!/Debugger listening/.test(server.output()));
      });
    } finally {
      await processes.stopAll();
    }
  });

  test('through --report-on-signal (its signal, its report file): no inspector is opened', async () => {
    const processes = new Processes();
    const dir = mkdtempSync(join(tmpdir(), 'closewait-capture-reports-'));
    try {
      const port = await freePort();
      const server = await processes.start(
        'node-server',
        process.execPath,
        ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${dir}`, join(liveRoot, 'node', 'server.mjs'), 'never-ends', String(port)],
        { ready: /READY/ },
      );
      await processes.start('node-clients', process.execPath, [join(liveRoot, 'node', 'client.mjs'), 'wait', String(port), '6'], { ready: /READY/ });
      await waitUntil(`6 connections accepted by pid ${server.pid}`, () => ssRows(captureSockets([port])).filter((r) => r.pid === server.pid && r.state === 'ESTAB').length >= 6, () => captureSockets([port]));
      await withOut(async (out) => {
        const run = await closewait(['capture', String(server.pid), '--dumps', '2', '--interval', '1s', '--out', out, '--format', 'json']);
        assert.equal(run.status, 0, run.stderr);
        const { capture, analysis } = json(run);
        assert.equal(capture.reports, `--report-on-signal (SIGUSR2, reports in ${dir})`);
        assert.ok(!/Debugger listening/.test(server.output()), 'the inspector stayed closed');
        assert.equal(capture.files.filter((f) => f.report).length, 2);
        assert.equal(readdirSync(dir).filter((n) => n.endsWith('.json')).length, 2, 'Node wrote one report per signal');
        assert.equal(analysis.verdicts[0]?.kind, 'slow-peer');
        assert.doesNotMatch(readFileSync(join(out, capture.files[1].name), 'utf8'), /"PATH":/);
      });
    } finally {
      await processes.stopAll();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
