// Regenerates the stored captures of the live scenarios (test/fixtures/dumps/live/<scenario>/) from fresh runs:
//   node --import tsx test/live/record.ts [scenario-name-substring...]
// Review the diff before committing: the fixture test asserts what test/live/expectations.ts expects of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledClasses, missingTools, Processes } from './harness';
import { SCENARIOS } from './scenarios';

const fixtures = join(__dirname, '..', 'fixtures', 'dumps', 'live');

async function main(): Promise<void> {
  const missing = missingTools();
  if (missing !== null) throw new Error(`cannot record: ${missing}`);
  const filters = process.argv.slice(2);
  const chosen = SCENARIOS.filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));
  const classes = await compiledClasses();
  for (const scenario of chosen) {
    const processes = new Processes();
    const started = Date.now();
    try {
      const capture = await scenario.capture({ processes, classes: scenario.needsJava ? classes : null });
      const dir = join(fixtures, scenario.name);
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(capture)) writeFileSync(join(dir, file), text);
      console.log(`${scenario.name}: ${Object.keys(capture).join(', ')} (${Date.now() - started} ms)`);
    } finally {
      await processes.stopAll();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
