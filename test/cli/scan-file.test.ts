import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadAllLanguages } from '../../src/analysis';
import type { Rule } from '../../src/analysis/rules/rule';
import { scanFile } from '../../src/cli/scan-file';
import { tempTree } from '../helpers';

before(loadAllLanguages);

test('an error outside the rules (here a broken rule module) costs the file, not the scan', () => {
  const { dir, cleanup } = tempTree({ 'A.java': 'class A { void f() { new java.net.Socket("h", 1); } }\n' });
  try {
    const broken: Rule = {
      meta: { id: 'broken', defaultSeverity: 'warning', description: 'A rule module with a bug outside check().', why: '', docs: '', examples: {}, families: ['java'] },
      // The engine tests keywords before it isolates check(): a throwing pre-filter escapes the rule's guard.
      keywords: { test: () => { throw new Error('keywords exploded'); } } as unknown as RegExp,
      check() {},
    };
    const outcome = scanFile({ index: 0, absolute: join(dir, 'A.java'), file: 'A.java' }, { ruleSet: [broken] });
    assert.deepEqual(outcome, { skipped: 'internal error while analysing: keywords exploded' });
  } finally {
    cleanup();
  }
});
