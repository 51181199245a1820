// Shared plumbing of the robustness suite: the real inputs it mutates, the workspace facts every rule sees, and a
// tally of what the analysis skipped, so each test can say so in its summary.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { analyzeText, type TextAnalysis } from '../../src/analysis';
import { gatherFacts, isConfigFile, type WorkspaceFacts } from '../../src/analysis/facts';
import { languageForPath } from '../../src/analysis/parse/grammars';
import { fixtureRoot } from '../analysis/expectations';

/** A generous wall-clock bound per input: a hang detector on a loaded CI machine, not a speed assertion. */
export const HANG_BOUND_MS = 10_000;

/** Fixed seeds: a failure on CI reproduces locally. */
export const SEED = 0x0c105e;

export interface TextFixture {
  /** Relative to test/fixtures, forward slashes. */
  readonly path: string;
  readonly text: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const RULE_FIXTURES = ['unclosed-resource', 'missing-timeout', 'unbounded-wait', 'self-call'];

function read(root: string): TextFixture[] {
  return filesUnder(join(fixtureRoot, root))
    .sort()
    .map((file) => ({ path: relative(fixtureRoot, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }));
}

const all = RULE_FIXTURES.flatMap(read);
/** Every Java/TypeScript/JavaScript fixture of every rule. */
export const sourceFixtures: readonly TextFixture[] = all.filter((f) => languageForPath(f.path));
/** Every configuration fixture (properties, YAML, .env, server.xml, project markers). */
export const configFixtures: readonly TextFixture[] = all.filter((f) => isConfigFile(f.path));

/** Ports and a base URL at the workspace root, so self-call has something to find in every input. */
export const FACTS: WorkspaceFacts = gatherFacts([
  { path: 'package.json', text: '{}' },
  { path: 'application.properties', text: 'server.port=8080\napp.base-url=https://shop.example.com\n' },
  { path: '.env', text: 'PORT=3000\n' },
]);

export const SOURCE_PATHS = ['fuzz/A.java', 'fuzz/a.ts', 'fuzz/a.tsx', 'fuzz/a.js', 'fuzz/a.mjs'];

/** Counts skip reasons across a property's runs; `summary` is what the test reports. */
export class SkipTally {
  private readonly reasons = new Map<string, number>();
  private runs = 0;

  note(result: TextAnalysis): void {
    this.runs++;
    if (result.skipped === undefined) return;
    // Sizes differ per input: count "larger than 5 MB (6.1 MB)" once as "larger than 5 MB".
    const reason = result.skipped.replace(/\s*\(.*\)$/, '');
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  summary(): string {
    const skipped = [...this.reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
    return `${this.runs} inputs analysed, ${skipped ? `skipped: ${skipped}` : 'none skipped'}`;
  }
}

/** The reasons a file may legitimately come back skipped for. */
const SKIP_REASONS =
  /^(contains NUL bytes \(binary file\)|larger than 5 MB \(.*\)|parsing took longer than \d+ s|analysis took longer than \d+ s|minified \(.*\)|compiled output \(.*\)|generated code \(.*\))$/;

/**
 * analyzeText with every rule under the hang bound: it returns (never throws), no rule fails, and a skip carries one
 * of the documented reasons.
 */
export function analyzeWithinBound(path: string, text: string, tally?: SkipTally): TextAnalysis {
  const started = performance.now();
  const result = analyzeText(path, text, { facts: FACTS });
  const ms = performance.now() - started;
  assert.ok(ms < HANG_BOUND_MS, `${path}: ${Math.round(ms)} ms for ${text.length} characters`);
  if (result.skipped !== undefined) {
    assert.match(result.skipped, SKIP_REASONS);
  } else {
    assert.deepEqual(result.failures, [], `${path}: no rule may throw`);
    for (const f of result.findings) {
      assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line, `${path}: finding position ${JSON.stringify(f)}`);
    }
  }
  tally?.note(result);
  return result;
}

// ---- mutations of real files ----

export type Mutation =
  | { readonly kind: 'cut'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly line: number; readonly times: number }
  | { readonly kind: 'remove'; readonly line: number; readonly count: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat(), times: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('remove' as const), line: fc.nat(), count: fc.integer({ min: 1, max: 10 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('{', '}', '(', ')', '"', '`', '/*', '*/', '\0', '\r', '\u2028')),
  }),
);

/** Applies mutations in order; positions wrap around the current text, so every mutation lands somewhere. */
export function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    if (m.kind === 'cut') {
      out = out.slice(0, m.at % (out.length + 1));
    } else if (m.kind === 'insert') {
      const at = m.at % (out.length + 1);
      out = out.slice(0, at) + m.text + out.slice(at);
    } else {
      const lines = out.split('\n');
      const line = m.line % lines.length;
      if (m.kind === 'duplicate') lines.splice(line, 0, ...Array<string>(m.times).fill(lines[line]));
      else lines.splice(line, m.count);
      out = lines.join('\n');
    }
  }
  return out;
}
