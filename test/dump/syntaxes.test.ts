// The TextMate grammars of syntaxes/, run by the tokenizer VS Code uses (vscode-textmate with the Oniguruma wasm),
// on the incident, corpus files and fixtures. Each assertion names a piece of a real line and the scope it must get.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { corpus, fixture, incidentRoot, readInput, repoRoot } from './support';

const syntaxes = join(repoRoot, 'syntaxes');
const grammarFiles: Record<string, string> = {
  'source.thread-dump': join(syntaxes, 'thread-dump.tmLanguage.json'),
  'source.socket-listing': join(syntaxes, 'socket-listing.tmLanguage.json'),
};
const grammars = new Map<string, vsctm.IGrammar>();

before(async () => {
  const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(new Uint8Array(wasm.buffer, wasm.byteOffset, wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      const path = grammarFiles[scopeName];
      return path === undefined ? null : vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
  for (const scope of Object.keys(grammarFiles)) {
    const grammar = await registry.loadGrammar(scope);
    assert.ok(grammar, scope);
    grammars.set(scope, grammar);
  }
});

/**
 * Tokenizes a whole file and returns, for the first line containing `lineText`, the scopes of the token that is
 * exactly `piece` (its first occurrence, or the first after `after` when the piece is ambiguous).
 */
function scopesAt(scope: string, text: string, lineText: string, piece: string, after = ''): string[] {
  const grammar = grammars.get(scope);
  assert.ok(grammar);
  let stack = vsctm.INITIAL;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    if (!line.includes(lineText)) continue;
    const at = line.indexOf(piece, after === '' ? 0 : line.indexOf(after) + after.length);
    assert.ok(at >= 0, `"${piece}" in "${line}"`);
    const token = result.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
    assert.ok(token);
    assert.equal(line.slice(token.startIndex, token.endIndex), piece, `token boundaries of "${piece}" in "${line}"`);
    return token.scopes;
  }
  assert.fail(`no line with "${lineText}"`);
}

function assertScope(scope: string, text: string, lineText: string, piece: string, expected: string, after = ''): void {
  const scopes = scopesAt(scope, text, lineText, piece, after);
  assert.ok(scopes.includes(expected), `"${piece}": ${scopes.join(' ')} lacks ${expected}`);
}

describe('source.thread-dump', () => {
  const td = (file: string, line: string, piece: string, expected: string, after = '') =>
    assertScope('source.thread-dump', readInput(file), line, piece, expected, after);
  const jstack = join(incidentRoot, 'jstack.txt');

  test('the incident: header, state, frames and the parking line', () => {
    td(jstack, '$ jstack 27836', '$ jstack 27836', 'comment.line.prompt.thread-dump');
    td(jstack, '"http-apr-8080-exec-24"', 'http-apr-8080-exec-24', 'entity.name.type.thread.thread-dump');
    td(jstack, '"http-apr-8080-exec-24"', 'daemon', 'storage.modifier.daemon.thread-dump');
    td(jstack, '"http-apr-8080-exec-24"', 'nid', 'variable.parameter.thread-dump');
    td(jstack, '"http-apr-8080-exec-24"', 'waiting on condition', 'markup.changed.state.waiting.thread-dump');
    td(jstack, 'java.lang.Thread.State', 'WAITING', 'markup.changed.state.waiting.thread-dump');
    td(jstack, 'Unsafe.park', 'Native Method', 'support.constant.native.thread-dump');
    td(jstack, 'parking to wait for', 'parking to wait for', 'keyword.control.lock.waiting.thread-dump');
    td(jstack, 'parking to wait for', '<0x0000000797283fc8>', 'constant.numeric.address.thread-dump');
    td(jstack, 'parking to wait for', 'java.util.concurrent.FutureTask', 'entity.name.type.class.thread-dump');
    td(jstack, 'SearchManager.java:104', 'SearchManager', 'entity.name.type.class.thread-dump', 'execute.');
    td(jstack, 'SearchManager.java:104', 'search', 'entity.name.function.thread-dump', 'SearchManager.');
    td(jstack, 'SearchManager.java:104', 'SearchManager.java', 'string.unquoted.file.thread-dump');
    td(jstack, 'SearchManager.java:104', '104', 'constant.numeric.line.thread-dump');
  });

  test('RUNNABLE, TIMED_WAITING, BLOCKED and the deadlock report', () => {
    const deadlock = corpus('threaddumps/jthreaddump__deadlock.txt');
    td(deadlock, '"main" #3', 'runnable', 'markup.inserted.state.runnable.thread-dump');
    td(deadlock, 'State: RUNNABLE', 'RUNNABLE', 'markup.inserted.state.runnable.thread-dump');
    td(deadlock, 'State: BLOCKED', 'BLOCKED', 'markup.deleted.state.blocked.thread-dump');
    td(deadlock, 'State: TIMED_WAITING', 'TIMED_WAITING', 'markup.changed.state.timed-waiting.thread-dump');
    td(deadlock, 'Found one Java-level deadlock:', 'Found one Java-level deadlock:', 'invalid.illegal.deadlock.thread-dump');
    td(deadlock, '- waiting to lock <0x000000052c830070>', 'waiting to lock', 'keyword.control.lock.waiting-to-lock.thread-dump');
    td(deadlock, '- locked <0x000000052c830078>', 'locked', 'keyword.control.lock.locked.thread-dump');
    td(deadlock, 'Thread.run(java.base@25/Thread.java:1474)', 'java.base@25/', 'comment.module.thread-dump');
    td(deadlock, 'Full thread dump', 'Full thread dump', 'keyword.other.banner.thread-dump');
    td(deadlock, '2025-12-21 11:28:04', '2025-12-21 11:28:04', 'constant.other.timestamp.thread-dump');
  });

  test('VisualVM headers, SAP descriptors, carriers and javacore lines', () => {
    td(corpus('threaddumps/tda__visualvmremote.log'), '"Timer-180" - Thread t@332', 't@332', 'constant.numeric.thread-number.thread-dump');
    td(corpus('threaddumps/tda-old__sapdump.log'), 'Buffer.read([BII)I(Buffer.java:95)', 'Buffer.java', 'string.unquoted.file.thread-dump');
    td(corpus('threaddumps/jthreaddump__many-virtual-threads.txt'), 'Carrying virtual thread #206', '#206', 'constant.numeric.thread-number.thread-dump');
    const javacore = corpus('threaddumps/openj9-docs__dump_javadump.md__javacore-excerpts.txt');
    td(javacore, '"Worker Thread 1" J9VMThread', 'Worker Thread 1', 'entity.name.type.thread.thread-dump');
    td(javacore, '"Worker Thread 1" J9VMThread', 'B', 'markup.deleted.state.blocked.thread-dump', 'state:');
    td(javacore, 'WorkerThread.run(DeadLockTest.java:35)', 'DeadLockTest.java', 'string.unquoted.file.thread-dump');
  });
});

describe('source.socket-listing', () => {
  const sl = (file: string, line: string, piece: string, expected: string) => assertScope('source.socket-listing', readInput(file), line, piece, expected);

  test('netstat -tonp of the incident: protocol, addresses, CLOSE_WAIT, owner, timer', () => {
    const netstat = join(incidentRoot, 'netstat.txt');
    sl(netstat, '10.51.31.150:16011', 'tcp', 'keyword.other.protocol.socket-listing');
    sl(netstat, '10.51.31.150:16011', '10.41.249.26', 'constant.other.address.socket-listing');
    sl(netstat, '10.51.31.150:16011', '8080', 'constant.numeric.port.socket-listing');
    sl(netstat, '10.51.31.150:16011', 'CLOSE_WAIT', 'markup.deleted.state.close-wait.socket-listing');
    sl(netstat, '10.51.31.150:16011', '27836', 'constant.numeric.pid.socket-listing');
    sl(netstat, '10.51.31.150:16011', 'java', 'string.unquoted.program.socket-listing');
    sl(netstat, '10.51.31.150:16011', 'keepalive (7196.98/0/0)', 'comment.timer.socket-listing');
  });

  test('lsof: service-name ports and the state in parentheses', () => {
    const lsof = join(incidentRoot, 'lsof.txt');
    sl(lsof, 'COMMAND', 'COMMAND   PID     USER   FD   TYPE    DEVICE SIZE/OFF NODE NAME', 'markup.heading.socket-listing');
    sl(lsof, '1754w', 'webcache', 'constant.numeric.port.socket-listing');
    sl(lsof, '1754w', 'ESTABLISHED', 'markup.inserted.state.established.socket-listing');
    sl(lsof, '1712r', 'CLOSE_WAIT', 'markup.deleted.state.close-wait.socket-listing');
  });

  test('ss: ss state spellings and users:(...)', () => {
    const ss = fixture('verdicts/self-call-deadlock/positive-loopback/ss.txt');
    sl(ss, '10.20.0.15:50000', 'CLOSE-WAIT', 'markup.deleted.state.close-wait.socket-listing');
    sl(ss, '127.0.0.1:41200 127.0.0.1:8080', 'ESTAB', 'markup.inserted.state.established.socket-listing');
    sl(ss, 'fd=48', '"java"', 'string.quoted.double.program.socket-listing');
    sl(ss, 'fd=48', '4242', 'constant.numeric.pid.socket-listing');
    sl(ss, 'fd=48', 'LISTEN', 'keyword.other.state.listen.socket-listing');
  });

  test('Windows and macOS: LISTENING, TIME_WAIT, PID column, `10.0.0.1.8080`', () => {
    const windows = corpus('sockets/jc__windows_windows-10_netstat-aonb.out');
    sl(windows, '0.0.0.0:135', 'LISTENING', 'keyword.other.state.listen.socket-listing');
    sl(windows, '0.0.0.0:135', '1712', 'constant.numeric.pid.socket-listing');
    sl(windows, '[svchost.exe]', 'svchost.exe', 'string.unquoted.program.socket-listing');
    sl(windows, 'TIME_WAIT', 'TIME_WAIT', 'markup.changed.state.time-wait.socket-listing');
    const mac = fixture('sockets/netstat-macos-ptcp-an.txt');
    sl(mac, '192.168.1.31.52210', '192.168.1.20', 'constant.other.address.socket-listing');
    sl(mac, '192.168.1.31.52210', '52210', 'constant.numeric.port.socket-listing');
    sl(mac, '::1.8080               ::1.51234', '::1', 'constant.other.address.socket-listing');
  });
});

describe('package.json language and grammar contributions', () => {
  const contributes = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: unknown }).contributes as {
    languages: { id: string; extensions: string[]; firstLine: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
  };
  const language = (id: string) => {
    const found = contributes.languages.find((l) => l.id === id);
    assert.ok(found, id);
    return found;
  };

  test('languages and grammars point at the TextMate grammars', () => {
    assert.deepEqual(language('thread-dump').extensions, ['.tdump', '.jstack']);
    assert.ok(language('socket-listing').extensions.length > 0);
    for (const grammar of contributes.grammars) {
      const raw = JSON.parse(readFileSync(join(repoRoot, grammar.path), 'utf8')) as { scopeName: string };
      assert.equal(raw.scopeName, grammar.scopeName);
      assert.ok(contributes.languages.some((l) => l.id === grammar.language));
    }
    assert.deepEqual(contributes.grammars.map((g) => g.scopeName).sort(), ['source.socket-listing', 'source.thread-dump']);
  });

  test('firstLine recognises the first lines of real dumps and listings, and not each other', () => {
    const dump = new RegExp(language('thread-dump').firstLine);
    const listing = new RegExp(language('socket-listing').firstLine);
    const firstLine = (path: string) => readInput(path).split(/\r?\n/)[0];
    for (const path of [
      corpus('threaddumps/tda__java8dump.log'),
      corpus('threaddumps/jthreaddump__deadlock.txt'),
      corpus('threaddumps/spotify__test.html-sample-input.txt'),
      corpus('threaddumps/openj9-docs__dump_javadump.md__javacore-excerpts.txt'),
      fixture('formats/jcmd-thread-print-jdk21.txt'),
      fixture('formats/jrockit-r28.txt'),
      fixture('formats/jmx-in-state.txt'),
      fixture('formats/jmx-threadinfo-tostring.txt'),
      fixture('verdicts/java-deadlock/positive-computed-monitors/jstack.txt'),
    ]) {
      assert.match(firstLine(path), dump, path);
      assert.doesNotMatch(firstLine(path), listing, path);
    }
    for (const path of [
      corpus('sockets/jc__osx-10.14.6_netstat.out'),
      corpus('sockets/jc__ubuntu-18.04_netstat-sudo-aeep.out'),
      corpus('sockets/jc__ubuntu-18.04_ss-sudo-tulpen.out'),
      corpus('sockets/jc__ubuntu-18.04_lsof-sudo.out'),
      corpus('sockets/jc__freebsd12_netstat-an.out'),
    ]) {
      assert.match(firstLine(path), listing, path);
      assert.doesNotMatch(firstLine(path), dump, path);
    }
    // /proc/net/tcp(6) as `cat` prints it: its header is the first line.
    const procHeader = readInput(fixture('sockets/proc-net-tcp6-and-fd.txt')).split(/\r?\n/)[1];
    assert.match(procHeader, listing);
    assert.doesNotMatch(procHeader, dump);
    assert.doesNotMatch('2024-03-05 10:15:42,118 INFO  [main] o.a.c.Catalina - Server startup', dump);
  });
});
