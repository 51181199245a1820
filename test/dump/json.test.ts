// --format json and the panel's Export JSON write the report in pieces (json.ts): joined, the pieces are exactly
// JSON.stringify(report, null, 2), whatever the report, and no piece is larger than asked for (plus one value).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { jsonChunks, jsonPieces } from '../../src/dump/json';
import { analyzeDirectory, fixtureRoot } from './support';
import { analyzeDump } from '../../src/dump/index';
import { generateNetstat, generateThreadDump } from '../../bench/dump-synthetic';

describe('the report as JSON in pieces', () => {
  test('every live incident: the pieces, joined, are JSON.stringify(report, null, 2)', () => {
    const live = join(fixtureRoot, 'live');
    for (const dir of readdirSync(live)) {
      // Streamed first: the thread and socket items are then streamed without being built.
      const streamed = [...jsonPieces(analyzeDirectory(join(live, dir)))].join('');
      assert.equal(streamed, JSON.stringify(analyzeDirectory(join(live, dir)), null, 2), dir);
    }
  });

  test('any JSON value, with the values JSON leaves out (undefined, functions) and toJSON', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constant(() => 1), fc.date({ noInvalidDate: true })),
      list: fc.array(tie('node'), { maxLength: 700 }),
      object: fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 }),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('object')),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const expected = JSON.stringify(v, null, 2);
        if (expected === undefined) return;
        assert.equal([...jsonPieces(v)].join(''), expected);
      }),
      { numRuns: 300 },
    );
  });

  test('a 20 MB dump beside 20,000 sockets: chunks of about 1 MB, the same text', () => {
    const dump = generateThreadDump(20 * 1024 * 1024);
    const report = analyzeDump([
      { name: 'big.tdump', text: dump.text },
      { name: 'big.netstat', text: generateNetstat(20_000).text },
    ]);
    const chunks = [...jsonChunks(report, 1 << 20)];
    assert.ok(chunks.length > 10);
    for (const chunk of chunks) assert.ok(chunk.length < 2 << 20, `a chunk of ${chunk.length} characters`);
    assert.equal(chunks.join(''), JSON.stringify(report, null, 2));
  });
});
