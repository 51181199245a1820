// One harness for every rule fixture: test/fixtures/<rule-id>/**/<file> is analysed with that rule alone, in both
// profiles, and the findings must sit exactly on the lines marked for that profile (no more, no fewer): `// expect:
// <rule-id>` for the default profile, plus `// strict: <rule-id>` for the strict one. Fixtures live in test code
// by nature, so the harness asks for test code to be reported like production code. A folder named `*-workspace`
// is a small workspace of its own: its files are analysed together, with the facts gathered from all of them (a
// wrapper in one file, its callers in another), under paths relative to that folder.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { analyzeText, loadAllLanguages, RULES } from '../../src/analysis';
import { gatherFacts, type WorkspaceFacts } from '../../src/analysis/facts';
import { PROFILES } from '../../src/analysis/scope/policy';
import { caseCount, expectedLines, fixtureRoot } from './expectations';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

before(loadAllLanguages);

const SOURCE = /\.(java|[cm]?[jt]sx?)$/;

/** The `*-workspace` folder a fixture belongs to, if any. */
function workspaceOf(file: string): string | undefined {
  const match = /^(.*[\\/][^\\/]+-workspace)[\\/]/.exec(file);
  return match?.[1];
}

const workspaceFacts = new Map<string, WorkspaceFacts>();

/** The path a fixture is analysed under, and the facts of its workspace (none outside one). */
function analysisContext(file: string): { path: string; facts?: WorkspaceFacts } {
  const workspace = workspaceOf(file);
  if (!workspace) return { path: relative(process.cwd(), file) };
  let facts = workspaceFacts.get(workspace);
  if (!facts) {
    const sources = filesUnder(workspace).filter((f) => SOURCE.test(f));
    facts = gatherFacts(sources.map((f) => ({ path: relative(workspace, f).split('\\').join('/'), text: readFileSync(f, 'utf8') })));
    workspaceFacts.set(workspace, facts);
  }
  return { path: relative(workspace, file).split('\\').join('/'), facts };
}

// self-call fixtures are whole workspaces (ports come from their configuration): see self-call.test.ts.
const ruleIds = RULES.map((r) => r.meta.id).filter((id) => id !== 'self-call');
for (const rule of ruleIds) {
  const dir = join(fixtureRoot, rule);
  let files: string[];
  try {
    files = filesUnder(dir).filter((f) => SOURCE.test(f));
  } catch {
    continue;
  }
  describe(`fixtures of ${rule}`, () => {
    for (const file of files) {
      for (const profile of PROFILES) {
        test(`${relative(fixtureRoot, file)} (${profile})`, () => {
          const text = readFileSync(file, 'utf8');
          const { path, facts } = analysisContext(file);
          const result = analyzeText(path, text, { rules: [rule], profile, testCode: 'report', facts });
          assert.equal(result.skipped, undefined, `skipped: ${result.skipped}`);
          if (result.skipped) return;
          assert.deepEqual(result.failures, [], 'no rule may throw');
          const actual = result.findings.map((f) => f.line);
          const expected = expectedLines(text, rule, profile);
          const report = result.findings.map((f) => `  ${f.line}: [${f.confidence}: ${f.basis}] ${f.message}`).join('\n');
          assert.deepEqual(actual, expected, `${profile} findings of ${rule} in ${file}:\n${report}`);
        });
      }
    }
  });
}

describe('fixture coverage', () => {
  // Each rule's fixtures must exercise enough cases per language to be worth trusting.
  const minimum: Record<string, { java: number; js: number }> = {
    'unclosed-resource': { java: 40, js: 30 },
    'missing-timeout': { java: 40, js: 30 },
    'unbounded-wait': { java: 20, js: 4 },
  };
  for (const [rule, counts] of Object.entries(minimum)) {
    test(`${rule} has at least ${counts.java} Java and ${counts.js} TS/JS cases`, () => {
      const files = filesUnder(join(fixtureRoot, rule));
      const count = (pattern: RegExp) =>
        files.filter((f) => pattern.test(f)).reduce((n, f) => {
          const c = caseCount(readFileSync(f, 'utf8'));
          return n + c.expect + c.ok;
        }, 0);
      assert.ok(count(/\.java$/) >= counts.java, `${count(/\.java$/)} Java cases`);
      assert.ok(count(/\.[cm]?[jt]sx?$/) >= counts.js, `${count(/\.[cm]?[jt]sx?$/)} TS/JS cases`);
    });
  }
});
