// What a capture reads from the machine before it captures: which processes are JVMs or Node.js and what they run,
// the report and inspector options of a Node.js process, durations as typed, a container's id, how a missing
// tool shows through a shell, docker exec and kubectl exec, and how a socket listing is narrowed to the process.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDuration } from '../../src/capture/index';
import { commandMissing, howItEnded, type ExecResult } from '../../src/capture/exec';
import { containerId } from '../../src/capture/local';
import { reportFlags } from '../../src/capture/node-report';
import { classify, displayName, javaMain, nodeMain, parseJvmList, parseProcessScript } from '../../src/capture/processes';
import { narrow, transcript } from '../../src/capture/sockets';
import type { Recording } from './recorded';

const recording = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'capture', 'docker-jvm-ss.json'), 'utf8')) as Recording;

test('the main class of a JVM: options and their values skipped, -jar, -m, the JDK tools left out', () => {
  assert.equal(javaMain(['java', '-Xmx1g', '-cp', 'a.jar:b.jar', '-Dx=y', 'com.example.Main', 'arg']), 'com.example.Main');
  assert.equal(javaMain(['/usr/lib/jvm/java-17/bin/java', '--add-opens', 'java.base/java.lang=ALL-UNNAMED', '-jar', 'app.jar']), 'app.jar');
  assert.equal(javaMain(['java', '-p', 'mods', '-m', 'my.app/com.example.Main']), 'my.app/com.example.Main');
  assert.equal(javaMain(['java', '--module=my.app/com.example.Main']), 'my.app/com.example.Main');
  assert.equal(javaMain(['java', '-Dcatalina.home=/opt/tomcat', 'org.apache.catalina.startup.Bootstrap', 'start']), 'org.apache.catalina.startup.Bootstrap');
  assert.equal(javaMain(['java', '-Dapplication.home=/usr/lib/jvm/java-17', 'jdk.jcmd/sun.tools.jcmd.JCmd', '-l']), null, 'jcmd itself is no target');
  assert.equal(javaMain(['java', '-version']), null);
});

test('the script of a Node.js process, and the short names a list shows', () => {
  assert.equal(nodeMain(['node', '-r', 'dotenv/config', '--inspect=0', 'dist/server.js', '--port', '8080']), 'dist/server.js');
  assert.equal(nodeMain(['node', '--import', 'tsx', 'src/main.ts']), 'src/main.ts');
  assert.equal(nodeMain(['node', '-e', 'setInterval(() => {}, 1000)']), '[eval]');
  assert.equal(nodeMain(['node']), '[repl]');
  const p = (argv: string[]) => {
    const info = classify(42, argv);
    assert.ok(info !== null, argv.join(' '));
    return displayName(info);
  };
  assert.equal(p(['/usr/bin/node', '/srv/app/server.mjs']), 'server.mjs');
  assert.equal(p(['java', 'org.apache.catalina.startup.Bootstrap', 'start']), 'Tomcat');
  assert.equal(p(['java', '-jar', '/opt/app/orders-1.2.jar']), 'orders-1.2.jar');
  assert.equal(p(['java', 'com.example.orders.OrdersApplication']), 'OrdersApplication');
  assert.equal(classify(1, ['python3', 'app.py']), null);
  const launcher = classify(1, ['/opt/app/launcher'], '/usr/lib/jvm/java-17-openjdk-amd64/bin/java');
  assert.deepEqual([launcher?.runtime, launcher?.main], ['java', '/opt/app/launcher'], 'a launcher whose executable is java');
  // process.title replaces the command line (the rest is NUL padding, dropped when /proc is read).
  const titled = classify(7, ['orders-api worker 3'], '/usr/bin/node');
  assert.ok(titled !== null);
  assert.deepEqual([titled.runtime, titled.main, displayName(titled)], ['node', 'orders-api worker 3', 'orders-api worker 3']);
  assert.equal(displayName(classify(8, ['npm exec tsc --noEmit', '', ''], '/usr/bin/node') as NonNullable<ReturnType<typeof classify>>), 'npm exec tsc --noEmit');
});

test('jcmd -l and a container\'s process listing, as recorded', () => {
  const jcmd = recording.commands.find((c) => c.command.join(' ') === 'jcmd -l');
  assert.ok(jcmd, 'the recording holds jcmd -l');
  assert.deepEqual(parseJvmList(jcmd.stdout), [{ pid: recording.pid, main: 'live.SelfCallHttpServer', args: `${recording.port} urlconnection named` }]);
  const script = recording.commands.find((c) => c.command[0] === 'sh');
  assert.ok(script);
  const found = parseProcessScript(script.stdout);
  assert.deepEqual(
    found.map((p) => [p.pid, p.runtime, p.main, p.user]),
    [[recording.pid, 'java', 'live.SelfCallHttpServer', 'root']],
    'the JVM, with its owner; the shell that listed is no JVM',
  );
  assert.match(found[0].commandLine, /^java -Xmx128m .* live\.SelfCallHttpServer \d+ urlconnection named$/);
});

test('report and inspector options from the command line and NODE_OPTIONS', () => {
  assert.deepEqual(reportFlags(['node', 'server.js'], ''), { onSignal: false, signal: 'SIGUSR2', directory: null, filename: null, inspectPort: null });
  assert.deepEqual(reportFlags(['node', '--report-on-signal', '--report-signal', 'SIGWINCH', '--report-directory=/var/reports', 'server.js', '--report-on-signal-not-mine'], ''), {
    onSignal: true,
    signal: 'SIGWINCH',
    directory: '/var/reports',
    filename: null,
    inspectPort: null,
  });
  assert.deepEqual(reportFlags(['node', 'server.js'], '--max-old-space-size=512 --report-on-signal --report-filename=last.json --inspect-port=127.0.0.1:9330'), {
    onSignal: true,
    signal: 'SIGUSR2',
    directory: null,
    filename: 'last.json',
    inspectPort: 9330,
  });
  assert.equal(reportFlags(['node', '--inspect=0.0.0.0:9400', 'a.js'], '').inspectPort, 9400);
  assert.equal(reportFlags(['node', 'a.js', '--inspect=9400'], '').inspectPort, null, 'after the script: the program\'s own argument');
});

test('durations as typed', () => {
  assert.equal(parseDuration('5s'), 5000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1m'), 60_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('2'), 2000, 'a bare number is seconds');
  assert.equal(parseDuration(' 10 sec '), 10_000);
  for (const bad of ['', 'soon', '-1s', '5h', '1e3']) assert.equal(parseDuration(bad), null, bad);
});

test('a container id from a process\'s cgroup (Docker, containerd, CRI-O, Kubernetes, cgroup v1 and v2)', () => {
  const id = 'f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2';
  assert.equal(containerId(`0::/system.slice/docker-${id}.scope\n`), id.slice(0, 12));
  assert.equal(containerId(`12:memory:/docker/${id}\n`), id.slice(0, 12));
  assert.equal(containerId(`0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-${id}.scope\n`), id.slice(0, 12));
  assert.equal(containerId(`11:cpu:/kubepods/burstable/pod1234/${id}\n`), id.slice(0, 12));
  assert.equal(containerId('0::/user.slice/user-1000.slice/session-2.scope\n'), null);
});

test('a missing tool: spawn, a shell, docker exec and kubectl exec each say it their way', () => {
  const result = (over: Partial<ExecResult>): ExecResult => ({ argv: ['ss', '-tanp'], stdout: '', stderr: '', code: 1, notFound: false, timedOut: false, cancelled: false, truncated: false, ms: 3, ...over });
  assert.ok(commandMissing(result({ notFound: true, code: null })));
  assert.ok(commandMissing(result({ code: 127, stderr: '/bin/sh: 1: ss: not found\n' })));
  // What `docker exec` prints for a command the image lacks (exit 127), and kubectl for the same in a pod (exit 1).
  assert.ok(commandMissing(result({ code: 127, stderr: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "ss": executable file not found in $PATH: unknown\n' })));
  assert.ok(
    commandMissing(
      result({
        code: 1,
        stderr: 'error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "4f1e": OCI runtime exec failed: exec failed: unable to start container process: exec: "ss": executable file not found in $PATH: unknown\n',
      }),
    ),
  );
  assert.equal(howItEnded(result({ code: 127, stderr: '/bin/sh: 1: ss: not found\n' })), 'ss: not found');
  // Failures that are not a missing tool: the fallbacks must not hide them.
  assert.ok(!commandMissing(result({ code: 1, stderr: 'cat: /proc/7/net/tcp6: No such file or directory\n' })));
  assert.ok(!commandMissing(result({ code: 1, stdout: '7:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file /proc/7/root/tmp/.java_pid7\n' })));
  assert.ok(!commandMissing(result({ code: 1, stderr: 'Error response from daemon: No such container: web\n' })));
  assert.equal(howItEnded(result({ code: null, timedOut: true, ms: 2003 })), 'ss timed out after 2.0 s');
  assert.equal(howItEnded(result({ code: 1, stdout: '7:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file\n' }), 'jcmd'), 'jcmd exited 1: 7:');
});

test('a socket listing narrowed to a process: its rows and every listener; one that names no row of it', () => {
  const ss = recording.commands.find((c) => c.command.join(' ') === 'ss -tanp');
  assert.ok(ss, 'the recording holds ss -tanp');
  const text = transcript(['ss', '-tanp'], ss.stdout);
  const rows = ss.stdout.split('\n').slice(1).filter((l) => l.trim() !== '');
  const listeners = rows.filter((l) => l.startsWith('LISTEN')).length;
  assert.ok(listeners > 0 && listeners < rows.length, `${listeners} of ${rows.length} rows listen`);
  const own = narrow(text, 'ss', recording.pid, { ownersVisible: true });
  assert.equal(own.unfiltered, null);
  assert.equal(own.total, rows.length);
  assert.equal(own.kept, rows.filter((l) => l.includes(`pid=${recording.pid},`) || l.startsWith('LISTEN')).length);
  // A pid no row names: when the listing shows owners to us, the process has no TCP socket and only the listeners stay...
  const none = narrow(text, 'ss', 999_999, { ownersVisible: true });
  assert.deepEqual([none.unfiltered, none.kept], [null, listeners]);
  // ...otherwise its sockets may just be hidden (another user's): the listing stays whole and says why.
  const hidden = narrow(text, 'ss', 999_999);
  assert.equal(hidden.kept, rows.length);
  assert.match(hidden.unfiltered ?? '', /no socket in the listing names pid 999999/);
});
