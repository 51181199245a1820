// The status bar's quick summary as data: findings by rule, most severe first, the hidden test-code findings when
// the server reports some, and the actions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byRule, summaryRows, type ShownFinding } from '../../src/client/summary-model';

const f = (rule: string, severity: ShownFinding['severity'], path: string, line: number): ShownFinding => ({ rule, severity, path, line, message: `${rule} at ${path}:${line}` });
const FINDINGS = [
  f('missing-timeout', 'warning', 'b.ts', 3),
  f('unclosed-resource', 'warning', 'a.java', 9),
  f('missing-timeout', 'warning', 'a.java', 4),
  f('self-call', 'error', 'a.java', 12),
  f('unbounded-wait', 'info', 'a.java', 20),
  f('missing-timeout', 'info', 'c.js', 1),
];

test('findings by rule: the rule with an error first, then by count; each rule\'s findings most severe first', () => {
  const groups = byRule(FINDINGS);
  assert.deepEqual(
    groups.map((g) => [g.rule, g.counts]),
    [
      ['self-call', '1 error'],
      ['missing-timeout', '2 warnings, 1 info'],
      ['unclosed-resource', '1 warning'],
      ['unbounded-wait', '1 info'],
    ],
  );
  assert.deepEqual(groups[1].findings.map((x) => `${x.path}:${x.line}`), ['a.java:4', 'b.ts:3', 'c.js:1']);
});

test('the quick pick: a count, one row per rule, hidden test-code findings only when there are some, then the actions', () => {
  const rows = summaryRows(FINDINGS, 0);
  assert.deepEqual(
    rows.map((r) => (r.separator ? `-- ${r.label}` : `${r.label} | ${r.description ?? ''}`)),
    [
      '-- 6 findings (1 error, 3 warnings, 2 info)',
      '$(error) self-call | 1 error in 1 file',
      '$(warning) missing-timeout | 2 warnings, 1 info in 3 files',
      '$(warning) unclosed-resource | 1 warning in 1 file',
      '$(info) unbounded-wait | 1 info in 1 file',
      '-- Actions',
      '$(search) Scan Workspace | check every file, not only the open ones',
      '$(list-flat) Open the Problems view | ',
    ],
  );
  const withHidden = summaryRows(FINDINGS, 4);
  const hidden = withHidden.find((r) => r.action?.kind === 'hidden');
  assert.equal(hidden?.label, '$(eye-closed) 4 findings hidden in test code');
  assert.equal(withHidden.indexOf(hidden!), 5, 'after the rules, before the actions');
  assert.deepEqual(
    summaryRows([], 0).map((r) => r.label),
    ['No findings in open or scanned files', 'Actions', '$(search) Scan Workspace', '$(list-flat) Open the Problems view'],
  );
});
