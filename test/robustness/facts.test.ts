// The workspace facts come from whatever configuration and sources a repository holds: damaged, binary, huge.
// Gathering them never throws, stays within a bound, yields only sane ports, and the result is plain data that
// survives the structured clone that hands it to the scan's worker threads.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { loadAllLanguages } from '../../src/analysis';
import { gatherFacts, type TextFile, type WorkspaceFacts } from '../../src/analysis/facts';
import { factsOfConfigFile, readEnv, readProperties, readYaml } from '../../src/analysis/facts/config-files';
import { resolvePlaceholders } from '../../src/analysis/facts/workspace';
import { configFixtures, HANG_BOUND_MS, mutate, mutation, SEED, sourceFixtures } from './support';

before(loadAllLanguages);

function withinBound<T>(what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const ms = performance.now() - started;
  assert.ok(ms < HANG_BOUND_MS, `${what}: ${Math.round(ms)} ms`);
  return result;
}

function assertSane(facts: WorkspaceFacts): void {
  for (const p of facts.ports) assert.ok(Number.isInteger(p.port) && p.port > 0 && p.port < 65536, `port ${p.port}`);
  for (const d of [...facts.ports, ...facts.baseUrls, ...facts.properties]) assert.ok(d.line >= 1, `line ${d.line} in ${d.file}`);
  assert.deepEqual(structuredClone(facts), facts);
}

const CONFIG_NAMES = ['application.properties', 'application-prod.yml', 'bootstrap.yaml', '.env', '.env.local', 'conf/server.xml', 'package.json', 'pom.xml'];
const SOURCE_NAMES = ['src/Main.java', 'src/server.ts', 'src/server.js', 'web/app.mjs'];

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 1_000, size: 'large' }),
  fc.tuple(fc.constantFrom(...configFixtures, ...sourceFixtures), fc.array(mutation, { maxLength: 5 })).map(([f, m]) => mutate(f.text, m)),
);

describe('gathering workspace facts', () => {
  test('random and damaged workspaces: configuration and sources under every name', () => {
    const folder = fc.constantFrom('', 'svc/', 'a/b/');
    const file: fc.Arbitrary<TextFile> = fc
      .tuple(folder, fc.constantFrom(...CONFIG_NAMES, ...SOURCE_NAMES), anyText)
      .map(([dir, name, text]) => ({ path: dir + name, text }));
    fc.assert(
      fc.property(fc.array(file, { maxLength: 8 }), (files) => assertSane(withinBound('gatherFacts', () => gatherFacts(files, ['me.local'])))),
      { seed: SEED, numRuns: 150 },
    );
  });

  test('the fixtures’ own workspaces, cut and shuffled', () => {
    const all = [...configFixtures, ...sourceFixtures];
    fc.assert(
      fc.property(fc.shuffledSubarray(all), fc.array(mutation, { maxLength: 3 }), (files, m) =>
        assertSane(withinBound('gatherFacts', () => gatherFacts(files.map((f) => ({ path: f.path, text: mutate(f.text, m) }))))),
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('configuration readers', () => {
  test('random text through every reader', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONFIG_NAMES), anyText, (name, text) => {
        withinBound(name, () => {
          readProperties(text);
          readYaml(text);
          readEnv(text);
          const facts = factsOfConfigFile(name, text);
          assert.deepEqual(structuredClone(facts), facts);
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  // Shapes on which the readers' regular expressions used to backtrack quadratically (or worse): at 200 KB a
  // line each took minutes. Now every one is linear.
  const blank = ' '.repeat(200_000);
  const LONG_LINES: readonly [string, string][] = [
    ['application.yml', `a${blank}#:`],
    ['application.yml', `a: b${blank}c`],
    ['application.yml', `a:${blank}b\u2028`],
    ['application.properties', `k =${blank}x\u2028`],
    ['application.properties', `k${blank}\r x`],
    ['application.properties', '\\'.repeat(200_001)],
    ['.env', `A= "x${blank}x`],
    ['.env', `A=${blank}\u2028`],
    ['server.xml', '<Connector port="1" '.repeat(10_000)],
    ['server.xml', '<Connector port="8080"/>\n'.repeat(10_000)],
    ['application.properties', `a=${'${a:'.repeat(50_000)}`],
  ];
  for (const [name, text] of LONG_LINES) {
    test(`a ${Math.round(text.length / 1000)} KB ${name} of ${JSON.stringify(text.slice(0, 12))}…`, () => {
      withinBound(name, () => factsOfConfigFile(name, text));
    });
  }

  test('placeholders stay linear however they nest or fail to close', () => {
    withinBound('resolvePlaceholders', () => resolvePlaceholders('${a:'.repeat(50_000), () => undefined));
    withinBound('resolvePlaceholders', () => resolvePlaceholders('${'.repeat(100_000), () => 'x'));
    assert.equal(resolvePlaceholders('${a:8080}/${b}', (k) => (k === 'b' ? 'x' : undefined)), '8080/x');
  });
});
