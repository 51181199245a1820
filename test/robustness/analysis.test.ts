// Whatever text reaches the analysis (binary files with a source extension, random Unicode, real sources cut off
// mid-token or with lines repeated and lost, as an editor shows them while typing), every rule runs to the end
// within a bound, never throws, and a file it gives up on comes back skipped with a reason.
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { loadAllLanguages } from '../../src/analysis';
import { decodeSource } from '../../src/files/read-source';
import { analyzeWithinBound, mutate, mutation, SEED, SkipTally, SOURCE_PATHS, sourceFixtures } from './support';

before(loadAllLanguages);

const path = fc.constantFrom(...SOURCE_PATHS);

describe('analyzeText with every rule', () => {
  test('random bytes, decoded as the CLI decodes a file', (t) => {
    const tally = new SkipTally();
    fc.assert(
      // Half the inputs without NUL bytes: those are the binary files that get past the NUL check into the parser.
      fc.property(path, fc.uint8Array({ maxLength: 4_000, size: 'large' }), fc.boolean(), (p, bytes, keepNul) => {
        analyzeWithinBound(p, decodeSource(keepNul ? bytes : bytes.map((b) => b || 0x20)), tally);
      }),
      { seed: SEED, numRuns: 150 },
    );
    t.diagnostic(tally.summary());
  });

  test('random Unicode, lone surrogates included', (t) => {
    const tally = new SkipTally();
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 2_000, size: 'large' }), fc.string({ unit: codeUnit, maxLength: 2_000, size: 'large' }));
    fc.assert(
      fc.property(path, text, (p, s) => {
        analyzeWithinBound(p, s, tally);
      }),
      { seed: SEED, numRuns: 150 },
    );
    t.diagnostic(tally.summary());
  });

  test('every fixture, cut, with lines repeated, removed and garbage inserted', (t) => {
    const tally = new SkipTally();
    const fixture = fc.constantFrom(...sourceFixtures);
    fc.assert(
      fc.property(fixture, fc.array(mutation, { minLength: 1, maxLength: 6 }), (f, mutations) => {
        analyzeWithinBound(f.path, mutate(f.text, mutations), tally);
      }),
      { seed: SEED, numRuns: 250 },
    );
    t.diagnostic(tally.summary());
  });

  test('every fixture cut at every 97th character', (t) => {
    // Systematic where the property above is random: each fixture truncated all along its length.
    const tally = new SkipTally();
    for (const f of sourceFixtures) {
      for (let at = 0; at < f.text.length; at += 97) analyzeWithinBound(f.path, f.text.slice(0, at), tally);
    }
    t.diagnostic(tally.summary());
  });

  test('token soup: the fixtures’ own tokens in random order, in a Java or a JavaScript file', (t) => {
    // Random bytes rarely parse into calls; shuffled real tokens reach deep into the rules' reasoning.
    const tally = new SkipTally();
    const tokens = (lang: RegExp) => [
      ...new Set(sourceFixtures.filter((f) => lang.test(f.path)).flatMap((f) => f.text.match(/[A-Za-z_$][\w$]*|\d+|"[^"\n]*"|'[^'\n]*'|\S/g) ?? [])),
    ];
    const java = tokens(/\.java$/);
    const js = tokens(/\.[cm]?[jt]sx?$/);
    const soup = (words: string[]) => fc.array(fc.constantFrom(...words), { maxLength: 600, size: 'large' }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.oneof(soup(java).map((s) => ['fuzz/A.java', s] as const), soup(js).map((s) => ['fuzz/a.ts', s] as const)), ([p, s]) => {
        analyzeWithinBound(p, s, tally);
      }),
      { seed: SEED, numRuns: 200 },
    );
    t.diagnostic(tally.summary());
  });
});
