import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyzeText, loadAllLanguages } from '../../src/analysis';
import { gatherFacts, propertyValue } from '../../src/analysis/facts';
import { MIN_JAVA_FILES_FOR_DEAD_CODE } from '../../src/analysis/facts/java-references';
import { browserCodeReason } from '../../src/analysis/scope/browser-code';
import { isConfigFile, readEnv, readProperties, readYaml } from '../../src/analysis/facts/config-files';
import { CONFIG_FILES_GLOB } from '../../src/analysis/facts/config-glob';
import { globToRegExp } from '../../src/files/glob';

before(loadAllLanguages);

describe('configuration readers', () => {
  test('the glob the editor syncs names exactly the configuration files the facts read', () => {
    const glob = globToRegExp(CONFIG_FILES_GLOB);
    const names = [
      'application.properties', 'application-prod.properties', 'bootstrap.properties', 'bootstrap-dev.properties',
      'application.yml', 'application-k8s.yaml', 'bootstrap.yml', 'bootstrap.yaml', 'server.xml', '.env', '.env.local',
      'package.json', 'pom.xml', 'build.gradle', 'build.gradle.kts',
      'app.properties', 'settings.yml', 'web.xml', 'environment', 'package-lock.json', 'Main.java', 'index.ts',
    ];
    for (const name of names) {
      for (const path of [name, `src/main/resources/${name}`]) {
        assert.equal(glob.test(path), isConfigFile(path), `${path}: glob ${glob.test(path)}, isConfigFile ${isConfigFile(path)}`);
      }
    }
  });

  test('.properties: separators, comments, continuations, escapes', () => {
    const entries = readProperties('# comment\n! also\nserver.port=8080\nserver.servlet.context-path : /api\nlong.value = a,\\\n    b\nkey\\ with\\ space value\n');
    assert.deepEqual(entries, [
      { key: 'server.port', value: '8080', line: 3 },
      { key: 'server.servlet.context-path', value: '/api', line: 4 },
      { key: 'long.value', value: 'a,b', line: 5 },
      { key: 'key with space', value: 'value', line: 7 },
    ]);
  });

  test('YAML: nested maps flattened, documents separated, lists and block scalars skipped', () => {
    const yaml = [
      'server:',
      '  port: ${PORT:8081}   # default for local runs',
      '  servlet:',
      '    context-path: "/catalog"',
      'management:',
      '  endpoints:',
      '    - health',
      'banner: |',
      '  text',
      '---',
      'spring.config.activate.on-profile: prod',
      'server:',
      "  port: '9090'",
    ].join('\n');
    assert.deepEqual(readYaml(yaml), [
      { key: 'server.port', value: '${PORT:8081}', line: 2 },
      { key: 'server.servlet.context-path', value: '/catalog', line: 4 },
      { key: 'spring.config.activate.on-profile', value: 'prod', line: 11 },
      { key: 'server.port', value: '9090', line: 13 },
    ]);
  });

  test('.env: export, quotes, comments', () => {
    assert.deepEqual(readEnv('# local\nexport PORT=4000\nSELF_URL="https://orders.example.com"\nnot a line\n'), [
      { key: 'PORT', value: '4000', line: 2 },
      { key: 'SELF_URL', value: 'https://orders.example.com', line: 3 },
    ]);
  });
});

describe('workspace facts', () => {
  test('ports from Spring YAML (placeholder default), profiles, Tomcat connectors (not AJP, not commented out), .env and code', () => {
    const facts = gatherFacts([
      { path: 'api/pom.xml', text: '<project/>' },
      { path: 'api/src/main/resources/application.yml', text: 'server:\n  port: ${PORT:8081}\n' },
      { path: 'api/src/main/resources/application-prod.properties', text: 'server.port=9090\n' },
      { path: 'tomcat/conf/server.xml', text: '<Server>\n<!-- <Connector port="8443"/> -->\n<Connector port="8080" protocol="HTTP/1.1"/>\n<Connector port="8009" protocol="AJP/1.3"/>\n</Server>\n' },
      { path: 'web/package.json', text: '{}' },
      { path: 'web/.env', text: 'PORT=4000\n' },
      { path: 'web/server.js', text: "const app = require('express')();\nconst PORT = process.env.PORT || 3000;\napp.listen(PORT);\n" },
    ]);
    assert.deepEqual(
      facts.ports.map((p) => `${p.project}|${p.port}|${p.origin}|${p.file}:${p.line}`),
      [
        'api|9090|server.port|api/src/main/resources/application-prod.properties:1',
        'api|8081|server.port|api/src/main/resources/application.yml:2',
        '|8080|Tomcat <Connector>|tomcat/conf/server.xml:3',
        'web|4000|PORT in .env|web/.env:1',
        'web|3000|app.listen(...)|web/server.js:3',
      ],
    );
  });

  test('a Spring Boot application without server.port listens on 8080; with one it does not get the default', () => {
    const app = '@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n';
    const bare = gatherFacts([
      { path: 'pom.xml', text: '<project/>' },
      { path: 'src/main/java/App.java', text: app },
    ]);
    assert.deepEqual(bare.ports.map((p) => [p.port, p.origin, p.line]), [[8080, 'Spring Boot default port', 1]]);
    const configured = gatherFacts([
      { path: 'pom.xml', text: '<project/>' },
      { path: 'src/main/java/App.java', text: app },
      { path: 'src/main/resources/application.properties', text: 'server.port=7070\n' },
    ]);
    assert.deepEqual(configured.ports.map((p) => p.port), [7070]);
  });

  test('own base URLs by name; another service\'s URL is not ours', () => {
    const facts = gatherFacts([
      { path: 'application.properties', text: 'app.base-url=https://shop.example.com\npricing.base-url=https://pricing.example.com\n' },
      { path: '.env', text: 'SELF_URL=https://shop.example.com/\nAPP_URL=https://app.example.com\nPAYMENTS_URL=http://localhost:4100\n' },
    ]);
    assert.deepEqual(facts.baseUrls.map((b) => b.name), ['SELF_URL', 'APP_URL', 'app.base-url']);
  });

  test('property values resolve placeholders and prefer the base configuration over profiles', () => {
    const facts = gatherFacts([
      { path: 'src/main/resources/application-dev.yml', text: 'server:\n  port: 9999\n' },
      { path: 'src/main/resources/application.yml', text: 'server:\n  port: ${HTTP_PORT:8081}\nself:\n  url: http://localhost:${server.port}\n' },
    ]);
    assert.equal(propertyValue(facts, 'src/main/java/A.java', 'server.port'), '8081');
    assert.equal(propertyValue(facts, 'src/main/java/A.java', 'self.url'), 'http://localhost:8081');
  });
});

describe('timeouts set elsewhere in the workspace', () => {
  const call = "import axios from 'axios';\nexport async function notify(url, body) {\n  await axios.post(url, body);\n}\n";

  test('axios.defaults.timeout set once in production code bounds every axios call of the project', () => {
    const facts = gatherFacts([
      { path: 'package.json', text: '{}' },
      { path: 'server/server.js', text: "const axios = require('axios');\naxios.defaults.timeout = 300 * 1000;\n" },
      { path: 'server/notify.js', text: call },
      { path: 'other/package.json', text: '{}' },
    ]);
    assert.deepEqual(facts.timeoutDefaults.map((d) => `${d.library} ${d.file}:${d.line}`), ['axios server/server.js:2']);
    const bounded = analyzeText('server/notify.js', call, { facts, rules: ['missing-timeout'] });
    assert.deepEqual(bounded.skipped ?? bounded.findings, []);
    const otherProject = analyzeText('other/notify.js', call, { facts, rules: ['missing-timeout'] });
    assert.equal(otherProject.skipped ?? otherProject.findings.length, 1, 'another project of the workspace is not bounded by it');
  });

  test("Hutool's HttpGlobalConfig.setTimeout at startup bounds every Hutool call of the workspace; -1 bounds none", () => {
    const caller = 'import cn.hutool.http.HttpUtil;\nclass Weather {\n  String today(String url) { return HttpUtil.get(url); }\n}\n';
    const startup = (value: string) =>
      `import cn.hutool.http.HttpGlobalConfig;\nclass Boot {\n  static { HttpGlobalConfig.setTimeout(${value}); }\n}\n`;
    const bounded = gatherFacts([{ path: 'boot/src/main/java/Boot.java', text: startup('10_000') }]);
    assert.deepEqual(bounded.timeoutDefaults.map((d) => `${d.library} ${d.file}:${d.line}`), ['hutool boot/src/main/java/Boot.java:3']);
    const inOtherModule = analyzeText('weather/src/main/java/Weather.java', caller, { facts: bounded, rules: ['missing-timeout'] });
    assert.deepEqual(inOtherModule.skipped ?? inOtherModule.findings, []);
    const none = gatherFacts([{ path: 'boot/src/main/java/Boot.java', text: startup('-1') }]);
    const unbounded = analyzeText('weather/src/main/java/Weather.java', caller, { facts: none, rules: ['missing-timeout'] });
    assert.equal(unbounded.skipped ?? unbounded.findings.length, 1);
  });

  test('a zero default, or one set by a test, bounds nothing', () => {
    for (const [path, text] of [
      ['server/server.js', 'axios.defaults.timeout = 0;\n'],
      ['test/setup.js', 'axios.defaults.timeout = 5000;\n'],
    ]) {
      const facts = gatherFacts([{ path, text }]);
      assert.deepEqual(facts.timeoutDefaults, [], path);
    }
  });
});

describe('requests to this machine through a constant of another module', () => {
  // OpenSign: Utils.js exports the Parse Server's own URL, and cloud functions call it with axios.
  const utils = "export const cloudServerUrl = 'http://localhost:8080/app';\nexport const appName = 'x';\n";
  const caller = [
    "import axios from 'axios';",
    "import { cloudServerUrl } from '../Utils.js';",
    'export async function getDrive(request) {',
    '  const serverUrl = cloudServerUrl;',
    "  return axios.get(serverUrl + '/classes/drive', { headers: request.headers });",
    '}',
    '',
  ].join('\n');

  test('an imported loopback constant of the same project makes the request strict only', () => {
    const facts = gatherFacts([
      { path: 'server/package.json', text: '{}' },
      { path: 'server/Utils.js', text: utils },
      { path: 'server/cloud/getDrive.js', text: caller },
    ]);
    assert.deepEqual(facts.loopbackConstants.map((c) => `${c.name} ${c.file}:${c.line}`), ['cloudServerUrl server/Utils.js:1']);
    const byDefault = analyzeText('server/cloud/getDrive.js', caller, { facts, rules: ['missing-timeout'] });
    assert.deepEqual(byDefault.skipped ?? byDefault.findings, []);
    const strict = analyzeText('server/cloud/getDrive.js', caller, { facts, rules: ['missing-timeout'], profile: 'strict' });
    if (strict.skipped !== undefined) return assert.fail('analysed, not skipped');
    assert.deepEqual(strict.findings.map((f) => f.line), [5]);
    assert.match(strict.findings[0].basis ?? '', /this machine \(cloudServerUrl, server\/Utils\.js:1\)/);
  });

  test('the same name exported by another project, or not imported, is another host', () => {
    const elsewhere = gatherFacts([
      { path: 'server/package.json', text: '{}' },
      { path: 'tools/package.json', text: '{}' },
      { path: 'tools/Utils.js', text: utils },
    ]);
    const otherProject = analyzeText('server/cloud/getDrive.js', caller, { facts: elsewhere, rules: ['missing-timeout'] });
    assert.equal(otherProject.skipped ?? otherProject.findings.length, 1);
    const sameProject = gatherFacts([{ path: 'server/package.json', text: '{}' }, { path: 'server/Utils.js', text: utils }]);
    const local = caller.replace("import { cloudServerUrl } from '../Utils.js';", "const cloudServerUrl = config.url;");
    const notImported = analyzeText('server/cloud/getDrive.js', local, { facts: sameProject, rules: ['missing-timeout'] });
    assert.equal(notImported.skipped ?? notImported.findings.length, 1);
  });
});

describe('request handlers that call into other files', () => {
  const service = [
    'package com.example.search;',
    'import java.util.List;',
    'import java.util.concurrent.*;',
    'public class SearchService {',
    '  private final ExecutorService pool = Executors.newFixedThreadPool(4);',
    '  public List<Future<String>> search(List<Callable<String>> tasks) throws Exception {',
    // Work that calls out over HTTP: what makes a handler's wait worth reporting (flow/remote-work.ts).
    '    tasks.add(() -> fetch("http://index.internal/q")); return pool.invokeAll(tasks);',
    '  }',
    '  public List<Future<String>> nightly(List<Callable<String>> tasks) throws Exception {',
    '    tasks.add(() -> fetch("http://index.internal/all")); return pool.invokeAll(tasks);',
    '  }',
    '  String fetch(String url) throws Exception {',
    '    return client.execute(new org.apache.http.client.methods.HttpGet(url)).toString();',
    '  }',
    '}',
  ].join('\n');
  const controller = (call: string) =>
    [
      'package com.example.web;',
      'import com.example.search.SearchService;',
      'import org.springframework.web.bind.annotation.*;',
      '@RestController',
      'public class SearchController {',
      '  private final SearchService service = new SearchService();',
      '  @GetMapping("/search")',
      `  public Object search() throws Exception { return ${call}; }`,
      '}',
    ].join('\n');

  test('a method a controller calls is request-handling code where it is declared, and only that method', () => {
    const facts = gatherFacts([
      { path: 'src/main/java/com/example/web/SearchController.java', text: controller('service.search(null)') },
      { path: 'src/main/java/com/example/search/SearchService.java', text: service },
    ]);
    assert.deepEqual(
      facts.handlerCallees.map((c) => `${c.type}.${c.method} from ${c.handler} ${c.file}:${c.line}`),
      ['SearchService.search from SearchController.search src/main/java/com/example/web/SearchController.java:8'],
    );
    const result = analyzeText('src/main/java/com/example/search/SearchService.java', service, { facts, rules: ['unbounded-wait'] });
    if ('skipped' in result) assert.fail(result.skipped);
    assert.deepEqual(result.findings.map((f) => f.line), [7], 'search (reached from the controller) is reported, nightly is not');
    assert.match(result.findings[0].message, /SearchController\.search, src\/main\/java\/com\/example\/web\/SearchController\.java:8/);
  });

  test("an overload with another number of parameters is not what the controller calls (close(id) is not close())", () => {
    const overloads = service.replace(
      '  public List<Future<String>> nightly(',
      '  public List<Future<String>> search() throws Exception {\n    return pool.invokeAll(null);\n  }\n  public List<Future<String>> nightly(',
    );
    const facts = gatherFacts([
      { path: 'src/main/java/com/example/web/SearchController.java', text: controller('service.search(null)') },
      { path: 'src/main/java/com/example/search/SearchService.java', text: overloads },
    ]);
    const result = analyzeText('src/main/java/com/example/search/SearchService.java', overloads, { facts, rules: ['unbounded-wait'] });
    if ('skipped' in result) assert.fail(result.skipped);
    assert.deepEqual(result.findings.map((f) => f.line), [7], 'search(tasks) is reached, search() is not');
  });

  test('without a handler calling it, the same wait is not request-handling code', () => {
    const facts = gatherFacts([
      { path: 'src/main/java/com/example/web/SearchController.java', text: controller('"none"') },
      { path: 'src/main/java/com/example/search/SearchService.java', text: service },
    ]);
    assert.deepEqual(facts.handlerCallees, []);
    const result = analyzeText('src/main/java/com/example/search/SearchService.java', service, { facts, rules: ['unbounded-wait'] });
    assert.deepEqual(result.skipped ?? result.findings, []);
  });
});

describe('resource factories (workspace facts)', () => {
  const factories = [
    'package com.acme.net;',
    'import java.net.Socket;',
    'public class Sockets {',
    '  private Socket kept;',
    '  public static Socket open(String host) throws java.io.IOException { return new Socket(host, 7000); }',
    '  public Socket open(String host, int port) throws java.io.IOException { return new Socket(host, port); }',
    '  public Socket open(String host, boolean reuse) throws java.io.IOException { return reuse ? kept : new Socket(host, 7000); }',
    '  private static Socket hidden(String host) throws java.io.IOException { return new Socket(host, 7000); }',
    '  public Socket current() { return kept; }',
    '}',
  ].join('\n');

  test('summarise non-private methods that return a fresh resource on every path, by arity, with where they are', () => {
    const facts = gatherFacts([{ path: 'src/main/java/com/acme/net/Sockets.java', text: factories }]);
    // open/2 has an overload of the same arity that may hand back the kept socket: a caller cannot tell them apart.
    assert.deepEqual(
      facts.resourceFactories.map((f) => `${f.owner}.${f.name}/${f.arity} ${f.kind} ${f.file}:${f.line} ${f.certain}`),
      ['com.acme.net.Sockets.open/1 java.socket src/main/java/com/acme/net/Sockets.java:5 true'],
    );
  });

  test('ignore factories in test code, and sources the pre-filter turns away', () => {
    assert.deepEqual(gatherFacts([{ path: 'src/test/java/com/acme/net/Sockets.java', text: factories }]).resourceFactories, []);
    assert.deepEqual(gatherFacts([{ path: 'src/main/java/com/acme/net/Sockets.java', text: factories.replace(/new Socket/g, 'Socket.of') }]).resourceFactories, []);
  });

  test('summarise exported JS functions that return a fresh socket or response, named after their module', () => {
    const text = [
      "const net = require('net');",
      'function connect(host) { return net.connect(7000, host); }',
      'exports.open = (host) => connect(host);',
      'module.exports.page = async (url) => fetch(url, { signal: AbortSignal.timeout(1000) });',
      'exports.text = async (url) => (await fetch(url, { signal: AbortSignal.timeout(1000) })).text();',
    ].join('\n');
    const facts = gatherFacts([{ path: 'lib/net/index.js', text }]);
    assert.deepEqual(
      facts.resourceFactories.map((f) => `${f.owner} ${f.label} ${f.kind}`),
      ['lib/net/index net.open js.socket', 'lib/net/index net.page js.fetchResponse'],
    );
  });
});

describe('unreferenced Java classes (workspace facts)', () => {
  const java = (path: string, body: string) => ({ path: `src/main/java/${path}`, text: body });
  // Dead code is judged only in a code base of some size: the rest of one, whose own classes are left out below.
  const rest = Array.from({ length: MIN_JAVA_FILES_FOR_DEAD_CODE }, (_, i) => java(`rest/R${i}.java`, `package rest;\npublic class R${i} { }\n`));
  const unreferenced = (...files: { path: string; text: string }[]) =>
    gatherFacts([...files, ...rest])
      .unreferencedJavaFiles.map((f) => f.replace('src/main/java/', ''))
      .filter((f) => !f.startsWith('rest/'));

  test('a plain class no other file refers to is unreferenced; the same simple name in another package does not save it', () => {
    const files = [
      java('a/live/HttpHelper.java', 'package a.live;\npublic class HttpHelper { }\n'),
      java('a/dead/HttpHelper.java', 'package a.dead;\npublic class HttpHelper { }\n'),
      java('a/app/Client.java', 'package a.app;\nimport a.live.HttpHelper;\nclass Client { HttpHelper h; }\n'),
    ];
    assert.deepEqual(unreferenced(...files), ['a/dead/HttpHelper.java', 'a/app/Client.java']);
  });

  test('referred to from its package, through a wildcard or static import, or by its full name (a nested class too)', () => {
    const target = (pkg: string, name: string) => java(`${pkg.replace(/\./g, '/')}/${name}.java`, `package ${pkg};\npublic class ${name} { public static class Inner { } }\n`);
    assert.deepEqual(unreferenced(target('p', 'A'), java('p/B.java', 'package p;\nclass B { Object a = new A(); }\n')), ['p/B.java']);
    assert.deepEqual(unreferenced(target('p', 'A'), java('q/B.java', 'package q;\nimport p.*;\nclass B { A a; }\n')), ['q/B.java']);
    assert.deepEqual(unreferenced(target('p', 'A'), java('q/B.java', 'package q;\nimport static p.A.run;\nclass B { }\n')), ['q/B.java']);
    assert.deepEqual(unreferenced(target('p', 'A'), java('q/B.java', 'package q;\nclass B { Object a = new p.A(); }\n')), ['q/B.java']);
    assert.deepEqual(unreferenced(target('p', 'A'), java('q/B.java', 'package q;\nimport p.A.Inner;\nclass B { Inner i; }\n')), ['q/B.java']);
  });

  test('a class named only in comments is unreferenced; a string holding // or /* does not hide a real reference', () => {
    const solver = java('p/Solver.java', 'package p;\npublic class Solver { }\n');
    const commented = java('p/Downloader.java', 'package p;\nclass Downloader {\n  // int id = Solver.create(request);\n  /* see {@link Solver} */\n  byte[] fetch() { return new byte[0]; }\n}\n');
    assert.deepEqual(unreferenced(solver, commented), ['p/Solver.java', 'p/Downloader.java']);
    const url = java('p/Downloader.java', 'package p;\nclass Downloader {\n  String u = "http://x/*"; char c = \'"\';\n  Object s = new Solver(); // uses it\n}\n');
    assert.deepEqual(unreferenced(solver, url), ['p/Downloader.java']);
  });

  test('classes something may reach without naming them are never judged: a controller, a scheduled method, a supertype, a main', () => {
    const files = [
      java('p/Api.java', 'package p;\nimport org.springframework.web.bind.annotation.RestController;\n\n/** The API. */\n@RestController\npublic class Api { }\n'),
      java('p/Sweeper.java', 'package p;\n@Component\npublic class Sweeper {\n  @Scheduled(fixedDelay = 1000)\n  void sweep() { }\n}\n'),
      java('p/Task.java', 'package p;\npublic final class Task implements Runnable { public void run() { } }\n'),
      java('p/Handler.java', 'package p;\nclass Handler extends Base { }\n'),
      java('p/Tool.java', 'package p;\npublic class Tool { public static void main(String[] args) { } }\n'),
    ];
    assert.deepEqual(unreferenced(...files), []);
  });

  test('a Spring bean nobody injects is judged like any class (MaxKey\'s JWKSetCacheService); one injected somewhere is not', () => {
    const bean = (name: string) => java(`p/${name}.java`, `package p;\n\n/**\n * A cache.\n * @author someone\n */\n@Service\n@Slf4j\npublic class ${name} {\n  @Autowired\n  private Other other;\n\n  @Override\n  public String toString() { return ""; }\n}\n`);
    const user = java('q/User.java', 'package q;\nimport p.Injected;\nclass User { @Autowired Injected injected; }\n');
    assert.deepEqual(unreferenced(bean('Unused'), bean('Injected'), user), ['p/Unused.java', 'q/User.java']);
  });

  test('a workspace of fewer Java files than that is a sample, not a code base: nothing is judged', () => {
    assert.deepEqual(gatherFacts(rest.slice(1)).unreferencedJavaFiles, []);
    assert.equal(gatherFacts(rest).unreferencedJavaFiles.length, MIN_JAVA_FILES_FOR_DEAD_CODE);
  });

  test('its findings are strict only, the reason in their basis', () => {
    const dead = java('p/Fetcher.java', 'package p;\nimport java.net.*;\npublic class Fetcher {\n  int get(URL u) throws Exception {\n    HttpURLConnection c = (HttpURLConnection) u.openConnection();\n    return c.getResponseCode();\n  }\n}\n');
    const facts = gatherFacts([dead, ...rest]);
    const strict = analyzeText(dead.path, dead.text, { facts, profile: 'strict' });
    const byDefault = analyzeText(dead.path, dead.text, { facts });
    if (strict.skipped !== undefined || byDefault.skipped !== undefined) return assert.fail('analysed, not skipped');
    assert.ok(strict.findings.some((f) => f.rule === 'missing-timeout' && /no other file of the workspace refers to this class/.test(f.basis ?? '')));
    assert.deepEqual(byDefault.findings, []);
    assert.equal(byDefault.hidden.strictOnly, strict.findings.length);
  });
});

describe('modules only browser code imports (workspace facts)', () => {
  const pkg = { path: 'web/package.json', text: JSON.stringify({ dependencies: { next: '14', react: '18' } }) };
  const client = (path: string, imports: string) => ({ path, text: `'use client';\n${imports}\nexport default function C() { return null; }\n` });
  const helper = (path: string, imports = '') => ({ path, text: `${imports}\nexport async function get(url: string) { return fetch(url); }\n` });
  const browserOnly = (...files: { path: string; text: string }[]) => gatherFacts([pkg, ...files]).browserOnlyModules;

  test('a helper only client components import is browser code, along a chain and through the @/ alias', () => {
    const files = [
      client('web/components/Import.tsx', "import { importFlags } from '../services/importer';"),
      helper('web/services/importer.ts', "import { get } from '@/lib/http';"),
      helper('web/lib/http.ts'),
    ];
    assert.deepEqual(browserOnly(...files), ['web/lib/http.ts', 'web/services/importer.ts']);
    const facts = gatherFacts([pkg, ...files]);
    assert.match(browserCodeReason('web/lib/http.ts', files[2].text, facts) ?? '', /only browser code imports it/);
  });

  test('a store and the sync client that import each other, both imported by components, are browser code', () => {
    const files = [
      client('web/app/components/settings.tsx', "import { useSyncStore } from '../store/sync';\nimport { createClient } from '../utils/cloud';"),
      helper('web/app/store/sync.ts', "import { createClient } from '../utils/cloud';"),
      helper('web/app/utils/cloud/index.ts', "import { webdav } from './webdav';"),
      helper('web/app/utils/cloud/webdav.ts', "import { useSyncStore } from '@/app/store/sync';"),
    ];
    assert.deepEqual(browserOnly(...files), ['web/app/store/sync.ts', 'web/app/utils/cloud/index.ts', 'web/app/utils/cloud/webdav.ts']);
  });

  test('a route handler, a server component or a module nothing imports keeps a helper server code; tests do not count', () => {
    const shared = helper('web/lib/http.ts');
    const route = { path: 'web/app/api/proxy/route.ts', text: "import { get } from '@/lib/http';\nexport async function GET() { return get('u'); }\n" };
    assert.deepEqual(browserOnly(client('web/components/A.tsx', "import { get } from '../lib/http';"), route, shared), []);
    // A .tsx of the app router without 'use client' or a hook is a server component.
    const page = { path: 'web/app/page.tsx', text: "import { get } from '../lib/http';\nexport default async function Page() { await get('u'); return <p />; }\n" };
    assert.deepEqual(browserOnly(page, shared), []);
    assert.deepEqual(browserOnly(shared), []);
    const test = { path: 'web/test/http.test.ts', text: "import { get } from '../lib/http';\n" };
    assert.deepEqual(browserOnly(client('web/components/A.tsx', "import { get } from '../lib/http';"), test, shared), ['web/lib/http.ts']);
  });

  test('a module that imports a Node-only library (Playwright, a database) is server code whatever uses the DOM', () => {
    const worker = { path: 'web/worker/archive.ts', text: "import { chromium } from 'playwright';\nimport send from './wayback';\nconst t = await page.evaluate(() => document.title);\n" };
    assert.deepEqual(browserOnly(worker, helper('web/worker/wayback.ts')), []);
  });

  test("a client folder beside a server folder is browser code, and so is a shared module only it imports by a baseUrl path (grist's app/client, app/common)", () => {
    const files = [
      { path: 'app/client/lib/importer.ts', text: "import { Tracker } from 'app/common/Tracker';\nexport const run = () => new Tracker();\n" },
      { path: 'app/client/ui/Page.ts', text: "export const root = () => document.getElementById('root');\n" },
      helper('app/common/Tracker.ts'),
      helper('app/common/Shared.ts'),
      { path: 'app/server/lib/Api.ts', text: "import { get } from 'app/common/Shared';\nimport express from 'express';\n" },
      { path: 'app/server/lib/Ping.ts', text: "export const ping = () => fetch('http://x/ping');\n" },
    ];
    const facts = gatherFacts(files);
    assert.deepEqual(facts.clientFolders, ['app/client/']);
    assert.deepEqual(facts.browserOnlyModules, ['app/common/Tracker.ts'], 'a module the server imports too stays server code');
    assert.match(browserCodeReason('app/client/lib/importer.ts', files[0].text, facts) ?? '', /client half/);
    assert.equal(browserCodeReason('app/server/lib/Ping.ts', files[5].text, facts), undefined);
  });

  test("a monorepo package's module that only client components of another package import, by the package's name, is browser code", () => {
    const files = [
      { path: 'packages/lib/package.json', text: JSON.stringify({ name: '@acme/lib', dependencies: { zod: '3' } }) },
      helper('packages/lib/upload/fetch-pdf.ts'),
      helper('packages/lib/upload/store.ts'),
      client('web/components/download-button.tsx', "import { get } from '@acme/lib/upload/fetch-pdf';"),
      { path: 'web/app/api/files/route.ts', text: "import { get } from '@acme/lib/upload/store';\nexport async function GET() { return get('u'); }\n" },
    ];
    assert.deepEqual(browserOnly(...files), ['packages/lib/upload/fetch-pdf.ts'], 'the module a route handler imports stays server code');
  });

  test('components calling data-fetching or routing hooks, or importing solid-js, are client code: what only they import is browser code', () => {
    const files = [
      { path: 'web/components/Spaces.tsx', text: "import { upload } from '../lib/upload';\nexport function Spaces() { const m = useMutation({ mutationFn: upload }); return null; }\n" },
      { path: 'web/components/Input.tsx', text: "import { createSignal } from 'solid-js';\nimport { send } from '../lib/send';\nexport const Input = () => { const [v] = createSignal(''); return null; };\n" },
      helper('web/lib/upload.ts'),
      helper('web/lib/send.ts'),
    ];
    assert.deepEqual(browserOnly(...files), ['web/lib/send.ts', 'web/lib/upload.ts']);
  });

  test("a client-only folder, or a module importing 'client-only', is browser code", () => {
    assert.match(browserCodeReason('packages/lib/client-only/download-pdf.ts', "export const download = (url: string) => fetch(url);\n") ?? '', /folder of browser scripts/);
    assert.match(browserCodeReason('lib/download.ts', "import 'client-only';\nexport const download = (url: string) => fetch(url);\n") ?? '', /client-only/);
    assert.equal(browserCodeReason('lib/download.ts', "export const download = (url: string) => fetch(url);\n"), undefined);
    // A type-only import of a server library loads nothing; a value import of it makes the module server code.
    const typed = (kind: string) => `import ${kind}{ Pool } from 'pg';\nexport const download = (p: Pool) => fetch(p.url);\n`;
    assert.match(browserCodeReason('packages/lib/client-only/download-pdf.ts', typed('type ')) ?? '', /folder of browser scripts/);
    assert.equal(browserCodeReason('packages/lib/client-only/download-pdf.ts', typed('')), undefined);
  });

  test('a client folder without client code, or without a server folder beside it, is not browser code', () => {
    const sdk = [helper('lib/client/http.ts'), helper('lib/server/listen.ts')];
    assert.deepEqual(gatherFacts(sdk).clientFolders, [], 'an HTTP client library beside a server: no DOM, no components');
    const alone = [{ path: 'src/client/Page.tsx', text: 'export const P = () => <p />;\n' }, helper('src/api/get.ts')];
    assert.deepEqual(gatherFacts(alone).clientFolders, []);
  });
});
