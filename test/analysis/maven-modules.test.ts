// Maven modules outside the build (facts/maven-modules.ts): read from the poms' <modules>, comments left out; the
// findings of their code are strict only.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyzeText, loadAllLanguages } from '../../src/analysis';
import { gatherFacts } from '../../src/analysis/facts';
import { pomModules, unbuiltMavenModules } from '../../src/analysis/facts/maven-modules';

const pom = (modules: string[], commented: string[] = []) =>
  `<project>\n  <modules>\n${modules.map((m) => `    <module>${m}</module>\n`).join('')}${commented.map((m) => `    <!-- <module>${m}</module> -->\n`).join('')}  </modules>\n</project>\n`;

describe('Maven modules outside the build', () => {
  before(loadAllLanguages);

  test('the <module> entries of a pom, profiles and commented-out ones included (optional modules ship so)', () => {
    const text = `${pom(['core', './server/'], ['labs/proxy'])}<profiles><profile><modules><module>extras</module></modules></profile></profiles>`;
    assert.deepEqual(pomModules(text), ['core', './server/', 'labs/proxy', 'extras']);
  });

  test("a module no aggregator lists, and the modules inside it, are outside the build; a pom with no aggregator above is a build of its own", () => {
    const unbuilt = unbuiltMavenModules([
      { project: '', modules: ['core', 'labs/cluster'] },
      { project: 'core', modules: [] },
      { project: 'labs/cluster', modules: ['agent'] },
      { project: 'labs/cluster/agent', modules: [] },
      { project: 'labs/cluster/proxy', modules: [] },
      { project: 'moved', modules: ['old'] },
      { project: 'moved/old', modules: [] },
      { project: 'lib', modules: ['../core'] },
    ]);
    assert.deepEqual(unbuilt, ['labs/cluster/proxy', 'lib', 'moved', 'moved/old']);
    assert.deepEqual(unbuiltMavenModules([{ project: 'tool', modules: [] }, { project: 'app', modules: [] }]), [], 'no aggregator: nothing to judge');
  });

  test("a leak in a module no pom names (moved aside) is strict only, with the reason; one commented out is judged as built", () => {
    const leak = 'package p;\npublic class Handler {\n  String get(java.net.URL url) throws java.io.IOException {\n    java.net.HttpURLConnection c = (java.net.HttpURLConnection) url.openConnection();\n    return String.valueOf(c.getResponseCode());\n  }\n}\n';
    const facts = gatherFacts([
      { path: 'pom.xml', text: pom(['core'], ['modules/ai']) },
      { path: 'core/pom.xml', text: '<project></project>' },
      { path: 'modules/ai/pom.xml', text: '<project></project>' },
      { path: 'labs/proxy/pom.xml', text: '<project></project>' },
    ]);
    assert.deepEqual(facts.unbuiltMavenModules, ['labs/proxy']);
    const optional = analyzeText('modules/ai/src/main/java/p/Handler.java', leak, { facts, rules: ['unclosed-resource'] });
    if ('skipped' in optional) return assert.fail('analysed, not skipped');
    assert.equal(optional.findings.length, 1, 'an optional module commented out of <modules> ships: judged as built');
    const outside = analyzeText('labs/proxy/src/main/java/p/Handler.java', leak, { facts, profile: 'strict', rules: ['unclosed-resource'] });
    const inside = analyzeText('core/src/main/java/p/Handler.java', leak, { facts, rules: ['unclosed-resource'] });
    const hidden = analyzeText('labs/proxy/src/main/java/p/Handler.java', leak, { facts, rules: ['unclosed-resource'] });
    if ('skipped' in outside || 'skipped' in inside || 'skipped' in hidden) return assert.fail('analysed, not skipped');
    assert.equal(inside.findings.length, 1);
    assert.deepEqual(hidden.findings, []);
    assert.equal(outside.findings[0]?.confidence, 'possible');
    assert.match(outside.findings[0]?.basis ?? '', /labs\/proxy\/ is outside the build/);
  });
});
