// A RestTemplate @Bean that no Java code of the workspace takes in serves no one (Spinnaker front50's storage
// configurations): its missing timeouts are strict only. One that something injects, or that a module's
// auto-configuration offers to the applications using it (servicecomb-pack's omega transports), stays reported.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyzeText, loadAllLanguages } from '../../src/analysis';
import { gatherFacts } from '../../src/analysis/facts';

before(loadAllLanguages);

interface TextFile {
  path: string;
  text: string;
}

const config: TextFile = {
  path: 'storage/src/main/java/acme/StorageConfig.java',
  text: [
    'package acme;',
    'import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;',
    'import org.springframework.context.annotation.Bean;',
    'import org.springframework.context.annotation.Configuration;',
    'import org.springframework.web.client.RestTemplate;',
    '@Configuration',
    'public class StorageConfig {',
    '  @Bean',
    '  @ConditionalOnMissingBean(RestTemplate.class)',
    '  public RestTemplate restTemplate() {',
    '    return new RestTemplate();',
    '  }',
    '}',
    '',
  ].join('\n'),
};

const pom = (folder: string): TextFile => ({ path: `${folder}/pom.xml`, text: '<project><artifactId>x</artifactId></project>\n' });

/** The default and the strict profile's lines of missing-timeout in the config class, in the workspace `files`. */
function judged(files: readonly TextFile[]): { reported: number[]; strict: number[]; basis: string[] } {
  const facts = gatherFacts(files);
  const byDefault = analyzeText(config.path, config.text, { facts, rules: ['missing-timeout'] });
  const strict = analyzeText(config.path, config.text, { facts, rules: ['missing-timeout'], profile: 'strict' });
  if (byDefault.skipped !== undefined || strict.skipped !== undefined) return assert.fail('skipped');
  return { reported: byDefault.findings.map((f) => f.line), strict: strict.findings.map((f) => f.line), basis: strict.findings.map((f) => f.basis ?? '') };
}

describe('RestTemplate beans nothing injects', () => {
  test('strict only when no Java code takes a RestTemplate in, with the reason', () => {
    const other: TextFile = { path: 'core/src/main/java/acme/Store.java', text: 'package acme;\npublic class Store {\n  private final String name = "s3";\n}\n' };
    const { reported, strict, basis } = judged([pom('storage'), pom('core'), config, other]);
    assert.deepEqual(reported, []);
    assert.deepEqual(strict, [11]);
    assert.match(basis[0], /no Java code of the workspace takes a RestTemplate in/);
  });

  test('reported when a field, a constructor parameter or a provider takes it in', () => {
    const injections = [
      'private final RestTemplate rest;\n  Client(RestTemplate rest) { this.rest = rest; }',
      '@Autowired private RestTemplate restTemplate;',
      'Client(ObjectProvider<RestTemplate> templates) {}',
      'Client(RestOperations operations) {}',
    ];
    for (const body of injections) {
      const client: TextFile = { path: 'core/src/main/java/acme/Client.java', text: `package acme;\nimport org.springframework.web.client.*;\npublic class Client {\n  ${body}\n}\n` };
      assert.deepEqual(judged([pom('storage'), pom('core'), config, client]).reported, [11], body);
    }
  });

  test('not taken in: a RestTemplate a method makes for itself, or one only a test injects', () => {
    const made: TextFile = {
      path: 'core/src/main/java/acme/Client.java',
      text: 'package acme;\nimport org.springframework.web.client.RestTemplate;\npublic class Client {\n  String get(RestTemplateBuilder builder) {\n    RestTemplate own = new RestTemplate();\n    RestTemplate built = builder.rootUri("x").build();\n    return "";\n  }\n}\n',
    };
    const testOnly: TextFile = { path: 'core/src/test/java/acme/ClientTest.java', text: 'package acme;\npublic class ClientTest {\n  @Autowired RestTemplate rest;\n}\n' };
    assert.deepEqual(judged([pom('storage'), pom('core'), config, made, testOnly]).reported, []);
  });

  test("reported in a module whose spring.factories auto-configures the applications that use it", () => {
    const factories: TextFile = { path: 'storage/src/main/resources/META-INF/spring.factories', text: 'org.springframework.boot.autoconfigure.EnableAutoConfiguration=acme.StorageConfig\n' };
    assert.deepEqual(judged([pom('storage'), pom('core'), config, factories]).reported, [11]);
  });
});
