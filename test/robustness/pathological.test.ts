// Generated code nests and repeats far beyond anything written by hand. Such a file must neither overflow the stack
// (a RangeError escaping a rule) nor be hung on: it is analysed, or skipped with "analysis took longer than 5 s".
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyzeText, loadAllLanguages } from '../../src/analysis';
import { IncrementalAnalyzer } from '../../src/analysis/incremental';
import { parseSource } from '../../src/analysis/parse/source';
import { analyzeWithinBound, FACTS, SkipTally } from './support';

before(loadAllLanguages);

const times = (n: number, f: (i: number) => string, sep = ' ') => Array.from({ length: n }, (_, i) => f(i)).join(sep);
const rep = (s: string, n: number) => s.repeat(n);
/** `rep` in lines of about 80 characters: JavaScript on one endless line is skipped as minified before any rule runs. */
const lines = (s: string, n: number) => {
  const perLine = Math.max(1, Math.floor(80 / s.length));
  return Array.from({ length: Math.ceil(n / perLine) }, (_, i) => s.repeat(Math.min(perLine, n - i * perLine))).join('\n');
};

/** [name, path, text]: one shape of pathological nesting or repetition each. */
const CASES: readonly [string, string, string][] = [
  ['10,000 nested parentheses around a call', 'a.js', `const s = fetch(${lines('(', 10_000)}'http://localhost:3000/x'${lines(')', 10_000)});`],
  ['10,000 nested parentheses in Java', 'A.java', `class A { void f() throws Exception { java.net.Socket s = new java.net.Socket(${rep('(', 10_000)}"h"${rep(')', 10_000)}, 1); } }`],
  ['a 5,000-term string concatenation', 'b.js', `const u = ${times(5_000, (i) => `'p${i}'`, ' +\n')};\nfetch(u);\napp.listen(3000);`],
  ['a 5,000-term constant in Java', 'B.java', `class B { static final String U = ${times(5_000, (i) => `"p${i}"`, ' + ')}; void f() throws Exception { new java.net.URL(U).openConnection(); } }`],
  ['3,000 nested blocks after an acquisition', 'c.js', `function f() { const s = net.connect(1); ${lines('{ ', 3_000)} s.end(); ${lines('} ', 3_000)} }`],
  ['2,000 nested ifs in Java', 'C.java', `class C { void f() throws Exception { java.net.Socket s = new java.net.Socket(); ${rep('if (a) { ', 2_000)} s.close(); ${rep('} ', 2_000)} } }`],
  ['2,000 nested try/finally', 'd.js', `function f() { const s = net.connect(1); ${lines('try { ', 2_000)} s.end(); ${lines('} finally { x(); } ', 2_000)} }`],
  ['3,000 wrappers around a socket stream', 'D.java', `class D { void f() throws Exception { InputStream s = ${rep('new BufferedInputStream(', 3_000)}new java.net.Socket().getInputStream()${rep(')', 3_000)}; } }`],
  ['3,000 wrappers around a JS socket', 'e.js', `function f() { const s = ${lines('new Wrapper(', 3_000)}net.connect(1)${lines(')', 3_000)}; }`],
  ['3,000 nested classes', 'E.java', `@SpringBootApplication class A { ${rep('class B { ', 3_000)} String u = "http://localhost:8080"; void f() { rest.getForObject(u, String.class); } ${rep('} ', 3_000)} }`],
  ['10,000 builder steps through variables', 'F.java', `class F { void f() { var a0 = HttpClient.newBuilder(); ${times(10_000, (i) => `var a${i + 1} = a${i}.foo();`)} a10000.build(); } }`],
  ['3,000 aliases of a socket', 'f.js', `function f() { const a0 = net.connect(1); ${times(3_000, (i) => `const a${i + 1} = a${i};`, '\n')} }`],
  ['3,000 helpers handing a socket on', 'g.js', `${times(3_000, (i) => `function h${i}(s) { h${i + 1}(s); }`, '\n')} function g() { const s = net.connect(1); h0(s); }`],
  ['2,000 chained calls on a client', 'h.js', `const c = axios.create()${lines('.foo()', 2_000)}; c.get('x');`],
  ['2,000 casts in Java', 'G.java', `class G { void f() { Object s = ${rep('(Object) ', 2_000)} new java.net.Socket(); } }`],
  ['1,000 nested route callbacks', 'i.js', `${lines('app.get("/x", (req, res) => { ', 1_000)} fetch('http://localhost:3000'); ${lines('}); ', 1_000)}`],
  ['a 1 MB line of one identifier (skipped as minified)', 'j.js', `const x = ${rep('a', 1_000_000)}; fetch(x);`],
  ['5,000 calls on one line (skipped as minified)', 'k.js', rep("fetch('http://localhost:3000/x');", 5_000)],
  ['5,000 calls', 'l.js', lines("fetch('http://localhost:3000/x');", 5_000)],
  // What the text tests before any rule runs must not backtrack either: a comment naming a call the catalogues know,
  // above a banner of slashes, once split the banner into `//` comments every way there is (apache/kylin).
  ['a banner of 200 slashes under `// end of execute`', 'H.java', `class H {\n  // end of execute\n  // ${rep('/', 200)}\n}`],
  ['200 comments and type argument lists after `send` and no call', 'I.java', `class I {\n  // send\n  ${times(200, () => '/* c */ <A>')}\n}`],
];

describe('pathological sources', () => {
  test('every rule finishes within the bound, without a stack overflow', (t) => {
    const tally = new SkipTally();
    for (const [name, path, text] of CASES) {
      const started = performance.now();
      const result = analyzeWithinBound(path, text, tally);
      t.diagnostic(`${name}: ${Math.round(performance.now() - started)} ms${result.skipped ? `, skipped: ${result.skipped}` : ''}`);
    }
    t.diagnostic(tally.summary());
  });

  test('the incremental analyzer survives them too (its units come from the same structure walk)', () => {
    const [name, path, text] = CASES.find(([n]) => n === '3,000 nested classes')!;
    const file = parseSource(path, text, 'java');
    try {
      // What is tested is the stack, not the speed: a loaded machine must not turn this into a timeout.
      assert.deepEqual(new IncrementalAnalyzer().analyze(file, { facts: FACTS, deadlineMs: 60_000 }, 'k').failures, [], name);
    } finally {
      file.tree.delete();
    }
  });
});

describe('the analysis deadline', () => {
  const LEAKY = `import java.net.Socket;\nclass Leak {\n  void send() throws Exception {\n    Socket s = new Socket("h", 1);\n    s.getInputStream().read();\n  }\n}\n`;

  test('a file whose rules run out of time comes back skipped with the reason', () => {
    assert.deepEqual(analyzeText('Leak.java', LEAKY, { deadlineMs: 0 }), { skipped: 'analysis took longer than 0 s' });
  });

  test('the default budget is five seconds, and an ordinary file is far within it', () => {
    const result = analyzeText('Leak.java', LEAKY);
    assert.equal(result.skipped, undefined);
    assert.equal(result.skipped ?? result.findings.length, 2);
  });

  test('the incremental analyzer throws the timeout for its caller to report', () => {
    const file = parseSource('Leak.java', LEAKY, 'java');
    try {
      assert.throws(() => new IncrementalAnalyzer().analyze(file, { deadlineMs: 0 }, 'k'), { message: 'analysis took longer than 0 s' });
    } finally {
      file.tree.delete();
    }
  });
});
