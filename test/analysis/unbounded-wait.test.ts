import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { analyzeText, loadAllLanguages } from '../../src/analysis';
import { fixtureRoot } from './expectations';

before(loadAllLanguages);

test('unbounded waits are warnings in request-handling code (directly or through same-file calls), info elsewhere', () => {
  const path = join(fixtureRoot, 'unbounded-wait/java/Handlers.java');
  const text = readFileSync(path, 'utf8');
  // The strict profile: the default one leaves out waits that no request handler reaches.
  const result = analyzeText('Handlers.java', text, { rules: ['unbounded-wait'], profile: 'strict' });
  assert.equal(result.skipped, undefined);
  if (result.skipped) return;
  const lines = text.split('\n');
  const severityOf = (needle: string) => {
    const line = lines.findIndex((l) => l.includes(needle)) + 1;
    return result.findings.find((f) => f.line === line)?.severity;
  };
  assert.equal(severityOf('return body.get();'), 'warning', 'Spring @GetMapping method');
  assert.equal(severityOf('"summary", renderers).get()'), 'warning', 'helper called from a @GetMapping method');
  assert.equal(severityOf('"nightly").get()'), 'info', 'not reached from a handler');
  assert.equal(severityOf('"hits").get()'), 'warning', 'Servlet doGet');
  assert.equal(severityOf('pool.invokeAny('), 'warning', 'JAX-RS @GET method');
  const handlerMessage = result.findings.find((f) => f.severity === 'warning')?.message ?? '';
  assert.match(handlerMessage, /In request-handling code \(report\), every stuck request holds a server worker/);
});
