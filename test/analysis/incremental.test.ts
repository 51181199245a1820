// The incremental analyzer must always agree with a fresh analysis of the same text: after every edit, whatever
// the edit does to the syntax.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Tree } from 'web-tree-sitter';
import { analyzeFile, loadAllLanguages, parseSource, type LanguageId } from '../../src/analysis';
import type { Finding } from '../../src/analysis/finding';
import { IncrementalAnalyzer } from '../../src/analysis/incremental';
import { FileModel } from '../../src/analysis/model';
import { AnalysisTimeout, type SourceFile } from '../../src/analysis/parse/source';
import { fixtureRoot } from './expectations';

before(loadAllLanguages);

function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
}

function point(text: string, index: number): { row: number; column: number } {
  const before = text.slice(0, index);
  const row = before.split('\n').length - 1;
  return { row, column: index - (before.lastIndexOf('\n') + 1) };
}

/** Applies one edit to `text` and `tree` the way the language server does (tree.edit, then an incremental parse). */
function edit(path: string, language: LanguageId, text: string, tree: Tree, at: number, remove: number, insert: string) {
  const next = text.slice(0, at) + insert + text.slice(at + remove);
  tree.edit({
    startIndex: at,
    oldEndIndex: at + remove,
    newEndIndex: at + insert.length,
    startPosition: point(text, at),
    oldEndPosition: point(text, at + remove),
    newEndPosition: point(next, at + insert.length),
  });
  const file = parseSource(path, next, language, tree);
  tree.delete();
  return file;
}

/** A fixture (its path under test/fixtures) read and parsed. */
function parseFixture(fixture: string, language: LanguageId): SourceFile {
  return parseSource(fixture, readFileSync(join(fixtureRoot, fixture), 'utf8'), language);
}

/** Asserts that `findings` are those of a fresh analysis of `text`. */
function assertAsFresh(path: string, language: LanguageId, text: string, findings: readonly Finding[], message?: string): void {
  const fresh = parseSource(path, text, language);
  try {
    assert.deepEqual(findings, analyzeFile(fresh).findings, message);
  } finally {
    fresh.tree.delete();
  }
}

/** The 1-based line where `needle` starts in `text`. */
function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

/** The lines unclosed-resource reports. */
function unclosedLines(findings: readonly Finding[]): number[] {
  return findings.filter((f) => f.rule === 'unclosed-resource').map((f) => f.line);
}

const cases: [string, LanguageId][] = [
  ['unclosed-resource/java/Paths.java', 'java'],
  ['unclosed-resource/java/HelperSummaries.java', 'java'],
  ['missing-timeout/java/ApacheClients.java', 'java'],
  ['unbounded-wait/java/Handlers.java', 'java'],
  ['unclosed-resource/ts/fetch.ts', 'typescript'],
  ['unclosed-resource/ts/component.tsx', 'tsx'],
  ['unclosed-resource/ts/helper-summaries.ts', 'typescript'],
  ['unclosed-resource/java/Fields.java', 'java'],
  ['unclosed-resource/ts/fields.ts', 'typescript'],
  ['unclosed-resource/ts/module-variables.ts', 'typescript'],
  ['unclosed-resource/java/CommandLine.java', 'java'],
  ['missing-timeout/ts/axios-got-superagent.js', 'javascript'],
];

for (const [fixture, language] of cases) {
  test(`incremental analysis equals a fresh analysis after each of 60 random edits: ${fixture}`, () => {
    const rnd = random(fixture.length * 7919);
    const alphabet = ['x', 'a', '(', ')', '{', '}', ';', '"', '\n', ' ', '.', 'return ', '/*', '*/'];
    const analyzer = new IncrementalAnalyzer();
    let file = parseFixture(fixture, language);
    for (let step = 0; step < 60; step++) {
      const at = rnd(file.text.length + 1);
      const remove = rnd(4) === 0 ? Math.min(rnd(6), file.text.length - at) : 0;
      const insert = remove > 0 && rnd(2) === 0 ? '' : alphabet[rnd(alphabet.length)];
      file = edit(fixture, language, file.text, file.tree, at, remove, insert);
      const incremental = analyzer.analyze(file, {}, 'test');
      const fresh = parseSource(fixture, file.text, language);
      const expected = analyzeFile(fresh);
      fresh.tree.delete();
      assert.deepEqual(incremental.findings, expected.findings, `after edit ${step} (${JSON.stringify(insert)} at ${at}, removing ${remove})`);
    }
    file.tree.delete();
  });
}

test('an edit inside one method re-analyses only that method', () => {
  const fixture = 'unclosed-resource/java/Sockets.java';
  const analyzer = new IncrementalAnalyzer();
  let file = parseFixture(fixture, 'java');
  analyzer.analyze(file, {}, 'test');
  const units = analyzer.stats.units;
  assert.equal(analyzer.stats.reanalysed, units);
  const at = file.text.indexOf('socket.getOutputStream().write(payload);');
  file = edit(fixture, 'java', file.text, file.tree, at, 0, 'int unused = 1; ');
  const result = analyzer.analyze(file, {}, 'test');
  assert.equal(analyzer.stats.reanalysed, 1);
  assertAsFresh(fixture, 'java', file.text, result.findings);
  file.tree.delete();
});

for (const [language, path, text, typed] of [
  [
    'java',
    'Typing.java',
    'import java.net.Socket;\n\nclass Typing {\n    private final Object lock = new Object();\n\n    void leak(String host) throws Exception {\n        Socket socket = new Socket(host, 80);\n        socket.getOutputStream().write(1);\n    }\n\n    private static int sum(int[] values) {\n        int s = 0;\n        for (int v : values) s += v;\n        return s;\n    }\n\n    void other() {}\n}\n',
    // `pxrivate static int sum(...)` parses as a field `pxrivate static` and a method `int sum(...)`.
    'private static int sum',
  ],
  [
    'typescript',
    'typing.ts',
    "import net from 'node:net';\n\nexport function describe(status: string): string {\n  switch (status) {\n    case 'open':\n      return 'open';\n    default:\n      return 'other';\n  }\n}\n\nexport function leak(host: string): void {\n  const socket = net.connect(80, host);\n  socket.write('x');\n}\n",
    // `cxase 'open':` breaks the switch: the function's last `}` is left outside it, at the top level.
    "case 'open'",
  ],
  [
    'typescript',
    'typing.ts',
    "import net from 'node:net';\n\nexport function leak(host: string): void {\n  const socket = net.connect(80, host);\n  socket.write('x');\n}\n\nexport function other(): number {\n  return 1;\n}\n",
    // `exxport function`: the keyword is the unit's own text, not the text around every unit.
    'export function leak',
  ],
  [
    'typescript',
    'typing.ts',
    "import net from 'node:net';\n\nexport const leak = (host: string): void => {\n  const socket = net.connect(80, host);\n  socket.write('x');\n};\n\nconst other = (): number => 1;\n",
    'export const leak',
  ],
  [
    'typescript',
    'typing.ts',
    "import net from 'node:net';\n\nconst leak = (host: string): void => {\n  const socket = net.connect(80, host);\n  socket.write('x');\n};\n\nexport const other = (): number => 1;\nexport default { leak };\n",
    // `cxonst leak = ...`
    'const leak',
  ],
] as const) {
  test(`a letter typed into ${JSON.stringify(typed)} re-analyses only the unit it breaks, not every unit of the file (${language})`, () => {
    const analyzer = new IncrementalAnalyzer();
    let file = parseSource(path, text, language);
    const before = analyzer.analyze(file, {}, 'test').findings;
    assert.ok(before.some((f) => f.rule === 'unclosed-resource'), 'the leak is reported at first');
    file = edit(path, language, file.text, file.tree, text.indexOf(typed) + 1, 0, 'x');
    const result = analyzer.analyze(file, {}, 'test');
    assert.ok(result.syntaxErrors > 0, 'the edit breaks the syntax');
    assert.equal(analyzer.stats.reanalysed, 1, `${analyzer.stats.reanalysed} of ${analyzer.stats.units} units re-analysed`);
    assertAsFresh(path, language, file.text, result.findings);
    assert.ok(result.findings.some((f) => f.rule === 'unclosed-resource'), 'the leak is still reported');
    file.tree.delete();
  });
}

test('a unit that holds a syntax error is re-analysed when stray text appears elsewhere: error recovery may build its tree otherwise', () => {
  // Edits found by a random stress run: `aw;ait` breaks streamsBody(), then a `}` typed after another function is stray
  // text. streamsBody()'s text is unchanged, but its findings from the tree of an earlier text no longer hold.
  const fixture = 'unclosed-resource/ts/fetch.ts';
  const edits: [number, number, string][] = [
    [902, 0, '}'], [2148, 0, '  '], [2148, 2, ''], [747, 0, ' '], [747, 1, ''], [1020, 0, ' '], [1877, 0, ';'],
    [1222, 0, '}'], [1911, 0, ' '], [1911, 1, ''], [1299, 0, '}'], [1299, 1, ''], [2361, 0, '}'],
  ];
  const analyzer = new IncrementalAnalyzer();
  let file = parseFixture(fixture, 'typescript');
  analyzer.analyze(file, {}, 'test');
  for (const [at, remove, insert] of edits) {
    file = edit(fixture, 'typescript', file.text, file.tree, at, remove, insert);
    const result = analyzer.analyze(file, {}, 'test');
    assertAsFresh(fixture, 'typescript', file.text, result.findings, `after ${JSON.stringify(insert)} at ${at}, removing ${remove}`);
  }
  file.tree.delete();
});

test("an edit that changes a helper's summary re-checks its callers elsewhere in the file", () => {
  const fixture = 'unclosed-resource/java/HelperSummaries.java';
  const analyzer = new IncrementalAnalyzer();
  let file = parseFixture(fixture, 'java');
  const lineOfCaller = lineOf(file.text, 'Response response = fetchPage(url); // expect');
  const before = unclosedLines(analyzer.analyze(file, {}, 'test').findings);
  assert.ok(before.includes(lineOfCaller), `the caller of fetchPage is reported at first: ${before}`);
  // fetchPage may now hand back the cached response: no factory any more, so its callers own nothing.
  const body = 'return client.newCall(new Request.Builder().url(url).build()).execute(); // ok: the caller owns it';
  const at = file.text.indexOf(body);
  file = edit(fixture, 'java', file.text, file.tree, at, 0, 'if (cached != null) return cached; ');
  const result = analyzer.analyze(file, {}, 'test');
  const after = unclosedLines(result.findings);
  assert.ok(!after.includes(lineOfCaller), `the caller of fetchPage is no longer reported: ${after}`);
  assertAsFresh(fixture, 'java', file.text, result.findings);
  file.tree.delete();
});

test('an edit in one method re-judges the fields of its class in the others: a close added to stop() clears the report in start()', () => {
  const fixture = 'unclosed-resource/java/Fields.java';
  const analyzer = new IncrementalAnalyzer();
  let file = parseFixture(fixture, 'java');
  const opened = 'selector = Selector.open(); // expect: unclosed-resource';
  const lineOfOpen = lineOf(file.text, opened);
  assert.ok(unclosedLines(analyzer.analyze(file, {}, 'test').findings).includes(lineOfOpen), 'the selector is reported at first');
  // stop() of the same class now closes the selector: start(), not edited, must be judged again.
  const at = file.text.indexOf('selector.wakeup();');
  file = edit(fixture, 'java', file.text, file.tree, at, 0, 'selector.close(); ');
  const result = analyzer.analyze(file, {}, 'test');
  assert.ok(!unclosedLines(result.findings).includes(lineOfOpen), `the selector is no longer reported: ${unclosedLines(result.findings)}`);
  assertAsFresh(fixture, 'java', file.text, result.findings);
  // An edit in the worker's run() re-judges the place that hands it the socket, in another class.
  const handed = 'new Thread(new Worker(server.accept(), keepOpen)).start(); // expect: unclosed-resource';
  const lineOfHandOver = lineOf(file.text, handed);
  assert.ok(unclosedLines(result.findings).includes(lineOfHandOver), 'the hand-over to Worker is reported');
  const closeAt = file.text.indexOf('if (!keepOpen) client.close();');
  file = edit(fixture, 'java', file.text, file.tree, closeAt, 'if (!keepOpen) '.length, '');
  const after = analyzer.analyze(file, {}, 'test');
  assert.ok(!unclosedLines(after.findings).includes(lineOfHandOver), `run() now closes the socket on every path: ${unclosedLines(after.findings)}`);
  assertAsFresh(fixture, 'java', file.text, after.findings);
  file.tree.delete();
});

test("an edit in a caller re-judges the module-level variable its callee overwrites: a guard removed reports the callee", () => {
  const fixture = 'unclosed-resource/ts/module-variables.ts';
  const analyzer = new IncrementalAnalyzer();
  let file = parseFixture(fixture, 'typescript');
  const opened = 'lazy = new WebSocket(url); // ok: only called when there is none';
  const lineOfOpen = lineOf(file.text, opened);
  assert.ok(!unclosedLines(analyzer.analyze(file, {}, 'test').findings).includes(lineOfOpen), 'openLazily is not reported while its caller checks `lazy`');
  // The caller now opens a new socket on every call: openLazily, not edited, must be judged again.
  const at = file.text.indexOf('lazy ?? openLazily(url)');
  file = edit(fixture, 'typescript', file.text, file.tree, at, 'lazy ?? '.length, '');
  const result = analyzer.analyze(file, {}, 'test');
  assert.ok(unclosedLines(result.findings).includes(lineOfOpen), `openLazily is reported: ${unclosedLines(result.findings)}`);
  assertAsFresh(fixture, 'typescript', file.text, result.findings);
  file.tree.delete();
});

test('`export` removed from a function that overwrites a module-level variable re-judges that function alone: no longer called per use', () => {
  const fixture = 'unclosed-resource/ts/module-variables.ts';
  const analyzer = new IncrementalAnalyzer();
  let file = parseFixture(fixture, 'typescript');
  const opened = 'remote = await chromium.connect(url); // expect: unclosed-resource';
  const lineOfOpen = lineOf(file.text, opened);
  assert.ok(unclosedLines(analyzer.analyze(file, {}, 'test').findings).includes(lineOfOpen), 'the exported remoteBrowser is reported');
  file = edit(fixture, 'typescript', file.text, file.tree, file.text.indexOf('export async function remoteBrowser'), 'export '.length, '');
  const result = analyzer.analyze(file, {}, 'test');
  assert.ok(!unclosedLines(result.findings).includes(lineOfOpen), 'not exported and called nowhere: not reported');
  assert.equal(analyzer.stats.reanalysed, 1, `${analyzer.stats.reanalysed} of ${analyzer.stats.units} units re-analysed`);
  assertAsFresh(fixture, 'typescript', file.text, result.findings);
  file.tree.delete();
});

test('restricted to the units an edit touched, the calls rules see are those of a fresh analysis inside them', () => {
  const fixture = 'unclosed-resource/ts/fetch.ts';
  const file = parseFixture(fixture, 'typescript');
  try {
    const all = new FileModel(file).candidates().map((c) => c.node.startIndex);
    const units = new FileModel(file).structure().units;
    const [kept, ...rest] = units;
    const restricted = new FileModel(file);
    // Everything but the first unit; the first unit is excluded even though the root holds it.
    restricted.restrictTo([file.tree.rootNode], [kept]);
    const expected = all.filter((at) => at < kept.startIndex || at >= kept.endIndex);
    assert.deepEqual(restricted.candidates().map((c) => c.node.startIndex), expected);
    restricted.restrictTo(rest);
    assert.deepEqual(
      restricted.candidates().map((c) => c.node.startIndex),
      all.filter((at) => rest.some((u) => at >= u.startIndex && at < u.endIndex)),
    );
  } finally {
    file.tree.delete();
  }
});

test('finding the calls of the units to re-check keeps to the deadline', () => {
  const file = parseSource('A.java', 'class A {\n  void f() { g(); }\n  void g() { f(); }\n}\n', 'java');
  try {
    const model = new FileModel(file, 0);
    model.restrictTo(model.structure().units);
    assert.throws(() => model.candidates(), AnalysisTimeout);
  } finally {
    file.tree.delete();
  }
});

/**
 * The incremental analyzer's first run and its run after an edit, together, against one fresh analysis of the same
 * file in the same process, in CPU time (what other processes on a shared machine take does not count). Linear work
 * costs a small multiple of a fresh analysis plus the keys' fixed share (up to MAX_LINKED links per unit: a few
 * hundred ms); the quadratic paths these tests guard cost tens of fresh analyses, or minutes.
 */
const MAX_COST_OF_FRESH = 4;
const FIXED_COST_MS = 1_000;
/** Each analysis still has a deadline: a hang ends with AnalysisTimeout instead of holding up the suite. */
const DEADLINE_MS = 60_000;

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = process.cpuUsage();
  const result = run();
  const { user, system } = process.cpuUsage(started);
  return { result, ms: (user + system) / 1000 };
}

test('a file of 10,000 methods is analysed, and re-analysed after an edit, in time linear in the units', () => {
  // Finding each unit's calls by a search from the top of the tree took most of a minute here (quadratic).
  const methods = Array.from({ length: 10_000 }, (_, i) => `  void m${i}() { n${i}(); }`);
  const text = `class Many {\n  void open() throws Exception { new java.net.Socket("h", 1).getInputStream().read(); }\n${methods.join('\n')}\n}\n`;
  const analyzer = new IncrementalAnalyzer();
  let file = parseSource('Many.java', text, 'java');
  try {
    const fresh = timed(() => analyzeFile(file, { deadlineMs: DEADLINE_MS }));
    const incremental = timed(() => {
      analyzer.analyze(file, { deadlineMs: DEADLINE_MS }, 'k');
      file = edit('Many.java', 'java', file.text, file.tree, file.text.indexOf('n5000();'), 0, 'x');
      return analyzer.analyze(file, { deadlineMs: DEADLINE_MS }, 'k');
    });
    assert.equal(analyzer.stats.reanalysed, 1);
    assert.equal(incremental.result.findings.length, fresh.result.findings.length);
    assert.ok(incremental.ms <= MAX_COST_OF_FRESH * fresh.ms + FIXED_COST_MS, `${Math.round(incremental.ms)} ms of CPU for two incremental runs, ${Math.round(fresh.ms)} ms for a fresh analysis`);
  } finally {
    file.tree.delete();
  }
});

test('what the analyzer keeps between edits holds no copy of the document: heap flat over 100 edits of a 1 MB file', () => {
  // Names and findings cut from the text are V8 slices that keep the whole text of their version alive.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const method = '  void send() throws Exception {\n    java.net.Socket socket = new java.net.Socket("h", 1);\n    socket.getInputStream().read();\n  }\n';
  const text = `class Big {\n${method}  /*${' filler'.repeat(150_000)} */\n}\n`;
  const analyzer = new IncrementalAnalyzer();
  let file = parseSource('Big.java', text, 'java');
  try {
    analyzer.analyze(file, {}, 'k');
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100; i++) {
      file = edit('Big.java', 'java', file.text, file.tree, file.text.indexOf('java.net.Socket socket'), 0, ' ');
      assert.equal(analyzer.analyze(file, {}, 'k').findings.length, 2);
    }
    gc();
    const grown = (process.memoryUsage().heapUsed - before) / (1024 * 1024);
    assert.ok(grown < 20, `the heap grew by ${grown.toFixed(0)} MB over 100 edits of a ${(text.length / 1e6).toFixed(1)} MB file`);
  } finally {
    file.tree.delete();
  }
});

test('8,000 methods of one name, and 1,000 that all call each other: analysed, and re-analysed after an edit, in time linear in the units', () => {
  // Each unit's key lists the units it is linked to by calls: with every unit linked to every other, listing them
  // all cost units² in time and in memory (gigabytes of keys).
  for (const text of [
    `class Same {\n${'  void f() { new java.net.Socket("h", 1); }\n'.repeat(8_000)}}\n`,
    `class Dense {\n  void open() throws Exception { new java.net.Socket("h", 1).getInputStream().read(); }\n${Array.from({ length: 1_000 }, (_, i) => `  void m${i}() { m${(i + 1) % 1_000}(); m${(i * 7) % 1_000}(); }`).join('\n')}\n}\n`,
  ]) {
    const analyzer = new IncrementalAnalyzer();
    let file = parseSource('Same.java', text, 'java');
    try {
      const fresh = timed(() => analyzeFile(file, { deadlineMs: DEADLINE_MS }));
      const incremental = timed(() => {
        const first = analyzer.analyze(file, { deadlineMs: DEADLINE_MS }, 'k');
        assert.equal(first.findings.length, fresh.result.findings.length);
        file = edit('Same.java', 'java', file.text, file.tree, file.text.lastIndexOf('}', file.text.length - 3), 0, ' int x = 1; ');
        return analyzer.analyze(file, { deadlineMs: DEADLINE_MS }, 'k');
      });
      assert.ok(incremental.ms <= MAX_COST_OF_FRESH * fresh.ms + FIXED_COST_MS, `${text.slice(6, 11)}: ${Math.round(incremental.ms)} ms of CPU for two incremental runs, ${Math.round(fresh.ms)} ms for a fresh analysis`);
      const again = parseSource('Same.java', file.text, 'java');
      assert.deepEqual(incremental.result.findings, analyzeFile(again, { deadlineMs: DEADLINE_MS }).findings);
      again.tree.delete();
    } finally {
      file.tree.delete();
    }
  }
});
