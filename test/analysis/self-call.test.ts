// self-call fixtures are workspaces: each folder under test/fixtures/self-call/ is scanned as a whole (facts from
// its configuration and sources first, then the rule on every source file), and every `// expect: self-call` line
// must carry exactly one finding.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { analyzeText, languageForPath, loadAllLanguages } from '../../src/analysis';
import { gatherFacts, type WorkspaceFacts } from '../../src/analysis/facts';
import { caseCount, expectedLines, fixtureRoot } from './expectations';

const root = join(fixtureRoot, 'self-call');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function workspace(name: string): { files: { path: string; text: string }[]; facts: WorkspaceFacts } {
  const dir = join(root, name);
  const files = filesUnder(dir).map((f) => ({ path: relative(dir, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }));
  return { files, facts: gatherFacts(files) };
}

before(loadAllLanguages);

describe('self-call fixture workspaces', () => {
  for (const name of readdirSync(root).sort()) {
    test(name, () => {
      const { files, facts } = workspace(name);
      for (const file of files.filter((f) => languageForPath(f.path))) {
        const result = analyzeText(file.path, file.text, { rules: ['self-call'], facts });
        assert.equal(result.skipped, undefined);
        if (result.skipped) continue;
        const report = result.findings.map((f) => `  ${f.line}: ${f.message}`).join('\n');
        assert.deepEqual(result.findings.map((f) => f.line), expectedLines(file.text, 'self-call'), `${name}/${file.path}:\n${report}`);
      }
    });
  }

  test('at least 20 Java and 15 TS/JS cases across the workspaces', () => {
    const files = filesUnder(root);
    const count = (pattern: RegExp) =>
      files.filter((f) => pattern.test(f)).reduce((n, f) => n + caseCount(readFileSync(f, 'utf8')).expect + caseCount(readFileSync(f, 'utf8')).ok, 0);
    assert.ok(count(/\.java$/) >= 20, `${count(/\.java$/)} Java cases`);
    assert.ok(count(/\.[cm]?[jt]sx?$/) >= 15, `${count(/\.[cm]?[jt]sx?$/)} TS/JS cases`);
  });
});

describe('self-call findings', () => {
  test('name the listening port and where it is declared, with related information, as an error in a handler', () => {
    const { files, facts } = workspace('spring-boot-yml');
    const controller = files.find((f) => f.path.endsWith('CatalogController.java'))!;
    const result = analyzeText(controller.path, controller.text, { rules: ['self-call'], facts });
    assert.equal(result.skipped, undefined);
    if (result.skipped) return;
    const first = result.findings[0];
    assert.equal(first.severity, 'error');
    assert.match(first.message, /RestTemplate calls http:\/\/localhost:8081\/catalog\/prices\/…, and this application listens on port 8081 \(server\.port at src\/main\/resources\/application\.yml:6\)/);
    assert.match(first.message, /It runs while handling a request \(item\)/);
    assert.deepEqual(first.related, [{ file: 'src/main/resources/application.yml', line: 6, message: 'port 8081 is declared here (server.port)' }]);
    const warmUp = result.findings.find((f) => controller.text.split('\n')[f.line - 1].includes('/catalog/health'));
    assert.equal(warmUp?.severity, 'warning', 'not reached from a handler');
    const ownUrl = result.findings.find((f) => /own URL/.test(f.message));
    assert.match(ownUrl?.message ?? '', /calls https:\/\/catalog\.example\.com\/items\/…, and that is this service's own URL \(app\.base-url at src\/main\/resources\/application\.yml:10\)/);
  });
});
