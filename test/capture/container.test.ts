// Container targets without a container engine: the commands `closewait capture docker:<c>` and `k8s:<pod>` build,
// checked against the outputs those commands printed when recorded from their local equivalents
// (test/capture/record-container.ts), replayed behind the docker/kubectl prefix. The capture, its fallbacks and the
// analysis are the real ones.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeCapture, capture, CaptureError, parseTarget, type Target } from '../../src/capture/index';
import { CONTAINER_PROCESS_SCRIPT } from '../../src/capture/processes';
import { placeOf } from '../../src/capture/target';
import { replay, type Recording } from './recorded';

const fixtures = join(__dirname, '..', 'fixtures', 'capture');

function recording(file: string): Recording {
  return JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as Recording;
}

function target(text: string, options: { namespace?: string; context?: string } = {}): Target {
  const parsed = parseTarget(text, options);
  assert.ok(typeof parsed !== 'string', `${text} is a target: ${String(parsed)}`);
  return parsed;
}

describe('closewait capture docker:<container>', () => {
  test('runs the process listing, jcmd and ss through docker exec; the self-call deadlock is named from the replayed outputs', async () => {
    const rec = recording('docker-jvm-ss.json');
    const t = target('docker:web');
    const { exec, ran, unknown } = replay(rec, ['docker', 'exec', 'web']);
    const result = await capture('docker:web', t, { dumps: 2, intervalMs: 0, exec });
    assert.deepEqual(unknown, [], 'every command the capture ran was one the recording holds');
    assert.deepEqual(
      ran.map((argv) => argv.slice(0, 5)),
      [
        ['docker', 'exec', 'web', 'sh', '-c'],
        ['docker', 'exec', 'web', 'jcmd', String(rec.pid)],
        ['docker', 'exec', 'web', 'ss', '-tanp'],
        ['docker', 'exec', 'web', 'jcmd', String(rec.pid)],
        ['docker', 'exec', 'web', 'ss', '-tanp'],
      ],
    );
    assert.equal(ran[0][5], CONTAINER_PROCESS_SCRIPT);
    assert.deepEqual(ran[1].slice(3), ['jcmd', String(rec.pid), 'Thread.print', '-l']);
    const record = result.record;
    assert.equal(record.target.place, 'Docker container web');
    assert.equal(record.target.pid, rec.pid, 'the JVM found inside the container');
    assert.equal(record.target.main, 'live.SelfCallHttpServer');
    assert.deepEqual(record.missing, []);
    assert.equal(record.sockets.method, 'ss');
    assert.equal(result.files.length, 2);
    for (const file of result.files) {
      assert.ok(file.threads?.startsWith(`$ jcmd ${rec.pid} Thread.print -l\n${rec.pid}:\n`), file.threads?.slice(0, 80));
      assert.ok(file.sockets?.startsWith('$ ss -tanp\n'));
    }

    const report = analyzeCapture(result);
    const [first] = report.verdicts;
    assert.equal(first?.kind, 'self-call-deadlock', JSON.stringify(report.verdicts.map((v) => v.title)));
    assert.match(first.title, new RegExp(`port ${rec.port}\\b`));
    assert.ok(first.confidence >= 0.9, `confidence ${first.confidence}`);
    assert.equal(report.overTime?.dumps.length, 2, 'both dumps form one series');
    // Narrowed: every row left is the JVM's own or a listener.
    const rows = report.sockets.items;
    assert.ok(rows.length > 0);
    assert.deepEqual(rows.filter((s) => s.state !== 'LISTEN' && s.pid !== rec.pid), []);
    assert.ok(record.sockets.kept < record.sockets.total, `the rows of other processes were dropped (${record.sockets.kept} of ${record.sockets.total})`);
  });

  test('a dump slower than the interval: the next capture still starts a whole interval after it, never sooner', async () => {
    const rec = recording('docker-jvm-ss.json');
    const { exec } = replay(rec, ['docker', 'exec', 'web']);
    let dumps = 0;
    // The first thread dump takes longer than two intervals (a JVM busy at a safepoint), the others are quick.
    const slowFirst: typeof exec = async (argv, options) => {
      if (argv.includes('Thread.print') && dumps++ === 0) await new Promise((resolve) => setTimeout(resolve, 450));
      return exec(argv, options);
    };
    const result = await capture('docker:web', target('docker:web'), { dumps: 3, intervalMs: 200, exec: slowFirst });
    const starts = result.files.map((f) => Date.parse(f.time));
    const gaps = starts.slice(1).map((t, k) => t - starts[k]);
    assert.equal(result.files.length, 3);
    assert.ok(gaps[0] >= 450, `the second capture waited for the slow first: ${gaps.join(', ')} ms`);
    assert.ok(gaps.every((gap) => gap >= 200), `every capture at least 200 ms after the one before: ${gaps.join(', ')} ms`);
    assert.equal(new Set(result.files.map((f) => f.name)).size, 3, 'no two files share a name');
    assert.ok(result.files.every((f) => /T\d\d-\d\d-\d\d\.\d{3}Z\.txt$/.test(f.name)), 'under a second apart: the names carry milliseconds');
  });

  test('a container that cannot be reached: the error docker printed and what to check', async () => {
    const t = target('docker:gone');
    const exec = replay({ note: '', pid: 0, port: 0, commands: [] }, ['docker', 'exec', 'gone']).exec;
    const noSuchContainer: typeof exec = async (argv, options) => ({ ...(await exec(argv, options)), code: 1, stderr: 'Error response from daemon: No such container: gone\n' });
    await assert.rejects(capture('docker:gone', t, { dumps: 1, intervalMs: 0, exec: noSuchContainer }), (error: Error) => {
      assert.ok(error instanceof CaptureError, 'nothing captured: the CLI exits 2');
      assert.match(error.message, /cannot run commands in Docker container gone: docker exited 1: Error response from daemon: No such container: gone/);
      assert.match(error.message, /Check the container name \(docker ps\)/);
      return true;
    });
  });
});

describe('closewait capture k8s:<pod>/<container>', () => {
  test('kubectl --context, -n, exec, -c, --: an image without ss or netstat falls back to /proc/<pid>/net/tcp with its fds', async () => {
    const rec = recording('k8s-jvm-no-ss.json');
    const t = target('k8s:api-7d9/app', { namespace: 'prod', context: 'staging' });
    const prefix = ['kubectl', '--context', 'staging', '-n', 'prod', 'exec', 'api-7d9', '-c', 'app', '--'];
    assert.deepEqual(placeOf(t).argv([]), prefix);
    const { exec, ran, unknown } = replay(rec, prefix);
    const result = await capture('k8s:api-7d9/app', t, { dumps: 2, intervalMs: 0, exec });
    assert.deepEqual(unknown, []);
    const inner = ran.map((argv) => argv.slice(prefix.length).join(' '));
    const pid = rec.pid;
    assert.deepEqual(inner.slice(1), [
      `jcmd ${pid} Thread.print -l`,
      'ss -tanp',
      'netstat -tanp',
      `cat /proc/${pid}/net/tcp`,
      `cat /proc/${pid}/net/tcp6`,
      `ls -l /proc/${pid}/fd`,
      // The second capture goes straight to what worked.
      `jcmd ${pid} Thread.print -l`,
      `cat /proc/${pid}/net/tcp`,
      `cat /proc/${pid}/net/tcp6`,
      `ls -l /proc/${pid}/fd`,
    ]);
    const record = result.record;
    assert.equal(record.target.place, 'pod api-7d9 (container app) in namespace prod, context staging');
    assert.equal(record.sockets.method, 'proc');
    assert.equal(record.sockets.unfiltered, null, 'the fds tie the rows to the JVM');
    assert.deepEqual(record.missing, []);
    const failed = record.commands.filter((c) => !c.ok).map((c) => c.outcome);
    assert.deepEqual(failed, ['ss: not found', 'netstat: not found']);

    const report = analyzeCapture(result);
    assert.equal(report.verdicts[0]?.kind, 'self-call-deadlock', JSON.stringify(report.verdicts.map((v) => v.title)));
    assert.match(report.verdicts[0].title, new RegExp(`port ${rec.port}\\b`));
    assert.ok(report.inputs.every((i) => /\/proc\/net\/tcp6? \+ \/proc\/\d+\/fd|proc/.test(i.label)), JSON.stringify(report.inputs.map((i) => i.label)));
    assert.ok(report.sockets.items.some((s) => s.pid === pid && s.state === 'CLOSE_WAIT'), 'CLOSE_WAIT rows tied to the JVM by their inodes');
  });

  test('targets: pod names, containers, namespaces; what is no target says why', () => {
    assert.deepEqual(parseTarget('k8s:api-7d9'), { kind: 'k8s', pod: 'api-7d9', container: null, namespace: null, context: null });
    assert.deepEqual(parseTarget('pod:api-7d9/app', { namespace: 'prod' }), { kind: 'k8s', pod: 'api-7d9', container: 'app', namespace: 'prod', context: null });
    assert.deepEqual(placeOf(target('k8s:api-7d9')).argv(['jcmd', '1', 'Thread.print']), ['kubectl', 'exec', 'api-7d9', '--', 'jcmd', '1', 'Thread.print']);
    assert.deepEqual(placeOf(target('docker:web-1'), { docker: 'podman', kubectl: 'oc' }).argv(['ss', '-tanp']), ['podman', 'exec', 'web-1', 'ss', '-tanp']);
    assert.deepEqual(parseTarget('4711'), { kind: 'pid', pid: 4711 });
    assert.deepEqual(parseTarget('tomcat'), { kind: 'name', pattern: 'tomcat' });
    assert.match(String(parseTarget('k8s:Api_Pod')), /not <pod> or <pod>\/<container>/);
    assert.match(String(parseTarget('k8s:a/b/c')), /not <pod> or <pod>\/<container>/);
    assert.match(String(parseTarget('docker:-rm')), /not a Docker container name/);
    assert.match(String(parseTarget('')), /no target/);
  });
});
