// The live incidents of issue 15, run for real: JDK 17 and Node processes on loopback, driven into the failure,
// captured with jcmd, ss and Node's diagnostic report, analysed by the dump core. Each scenario stops its processes
// even when it fails; a failing one leaves its capture in a temporary directory named in the error.
// Without java or ss on the machine the scenarios are skipped with the reason (npm test installs them where it can).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compiledClasses, missingTools, Processes, type Capture } from './harness';
import { SCENARIOS } from './scenarios';
import { analyzeCapture, EXPECTATIONS } from './expectations';

/**
 * One at a time: the runner already runs this file beside another, and a JVM starting takes a core; several at once
 * would starve the tests next to it on a small CI machine.
 */
describe('live incidents on loopback', () => {
  let classes: Promise<string> | null = null;
  for (const scenario of SCENARIOS) {
    const missing = missingTools(scenario.needsJava);
    test(scenario.title, { skip: missing ?? false, timeout: 180_000 }, async () => {
      const processes = new Processes();
      let capture: Capture | null = null;
      try {
        capture = await scenario.capture({ processes, classes: scenario.needsJava ? await (classes ??= compiledClasses()) : null });
        EXPECTATIONS[scenario.name](analyzeCapture(capture), capture);
      } catch (error) {
        throw keepCapture(scenario.name, capture, error);
      } finally {
        await processes.stopAll();
      }
    });
  }
});

function keepCapture(name: string, capture: Capture | null, error: unknown): unknown {
  if (capture === null || !(error instanceof Error)) return error;
  const dir = mkdtempSync(join(tmpdir(), `closewait-live-${name}-`));
  for (const [file, text] of Object.entries(capture)) writeFileSync(join(dir, file), text);
  error.message += `\n(the capture is kept in ${dir})`;
  return error;
}
