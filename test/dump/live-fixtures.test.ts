// The stored captures of the live incidents (test/fixtures/dumps/live/<scenario>/, written by test/live/record.ts)
// must yield what the live scenarios assert of fresh captures: the same verdicts without a JDK on the machine.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SCENARIOS } from '../live/scenarios';
import { analyzeCapture, EXPECTATIONS } from '../live/expectations';
import type { Capture } from '../live/harness';
import { fixture } from './support';

const root = fixture('live');

function stored(name: string): Capture {
  const dir = join(root, name);
  return Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

describe('stored live captures', () => {
  test('every live scenario has a stored capture and expectations, and nothing else is stored', () => {
    const names = SCENARIOS.map((s) => s.name).sort();
    assert.deepEqual(readdirSync(root).sort(), names);
    assert.deepEqual(Object.keys(EXPECTATIONS).sort(), names);
  });

  for (const scenario of SCENARIOS) {
    test(scenario.title, () => {
      const capture = stored(scenario.name);
      EXPECTATIONS[scenario.name](analyzeCapture(capture), capture);
    });
  }
});
