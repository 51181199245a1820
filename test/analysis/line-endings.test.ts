// Line endings: LF, CR LF and the lone CR of old Mac files are all line breaks to editors, to LSP and to readers of
// our reports. Whatever a file uses, the analysis finds the same things on the same lines.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzeText, loadAllLanguages, type TextAnalysis } from '../../src/analysis';
import { factsOfConfigFile } from '../../src/analysis/facts/config-files';
import { configFixtures, FACTS, sourceFixtures } from '../robustness/support';

before(loadAllLanguages);

function positions(result: TextAnalysis): string[] {
  assert.equal(result.skipped, undefined);
  return result.skipped === undefined ? result.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule}: ${f.message}`) : [];
}

test('every rule fixture: CR LF and lone CR give the findings of LF, on the same lines and columns', () => {
  let findings = 0;
  for (const fixture of sourceFixtures) {
    const lf = fixture.text.replace(/\r\n?/g, '\n');
    const expected = positions(analyzeText(fixture.path, lf, { facts: FACTS }));
    findings += expected.length;
    for (const eol of ['\r\n', '\r']) {
      assert.deepEqual(positions(analyzeText(fixture.path, lf.replace(/\n/g, eol), { facts: FACTS })), expected, `${fixture.path} with ${JSON.stringify(eol)}`);
    }
  }
  assert.ok(findings > 100, `the fixtures hold findings to compare (${findings})`);
});

test('mixed line endings in one file count each break once', () => {
  const lines = ['// a comment ends at any line break', 'class Leak {', '  void send() throws Exception {', '    java.net.Socket s = new java.net.Socket("h", 1);', '  }', '}', ''];
  const mixed = lines.map((l, i) => l + ['\r', '\n', '\r\n'][i % 3]).join('');
  assert.deepEqual(positions(analyzeText('Leak.java', mixed)), positions(analyzeText('Leak.java', lines.join('\n'))));
});

test('configuration with lone CR line endings gives the facts of LF', () => {
  for (const fixture of configFixtures) {
    const lf = fixture.text.replace(/\r\n?/g, '\n');
    assert.deepEqual(factsOfConfigFile(fixture.path, lf.replace(/\n/g, '\r')), factsOfConfigFile(fixture.path, lf), fixture.path);
  }
});
