import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzeText, loadAllLanguages } from '../../src/analysis';

before(loadAllLanguages);

const leak = (indent: string) => `${indent}java.net.Socket s = new java.net.Socket("h", 1);\n${indent}s.getInputStream().read();\n`;

test('closewait-ignore-next-line silences the next line only, for the named rule', () => {
  const text = [
    'class A {',
    '  void a() throws Exception {',
    '    // closewait-ignore-next-line unclosed-resource',
    leak('    ').trimEnd(),
    '  }',
    '  void b() throws Exception {',
    '    // closewait-ignore-next-line missing-timeout',
    leak('    ').trimEnd(),
    '  }',
    '  void c() throws Exception {',
    '    // closewait-ignore-next-line',
    leak('    ').trimEnd(),
    '  }',
    '}',
  ].join('\n');
  const result = analyzeText('A.java', text);
  assert.equal(result.skipped, undefined);
  if (result.skipped) return;
  // a(): unclosed-resource silenced, missing-timeout still reported; b(): the reverse; c(): everything silenced.
  assert.deepEqual(
    result.findings.map((f) => `${f.line} ${f.rule}`),
    ['4 missing-timeout', '9 unclosed-resource'],
  );
});

test('closewait-ignore silences a rule for the whole file', () => {
  const text = `// closewait-ignore unclosed-resource\nclass A {\n  void a() throws Exception {\n${leak('    ')}  }\n}\n`;
  const result = analyzeText('A.java', text);
  assert.equal(result.skipped, undefined);
  if (!result.skipped) assert.deepEqual(result.findings.map((f) => f.rule), ['missing-timeout']);
});
