// Functions and methods no other file of the workspace names (facts/name-mentions.ts, flow/dead-code.ts): their
// findings are strict only. Each test builds a workspace of real files, gathers its facts and analyses one file.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyzeText, loadAllLanguages } from '../../src/analysis';
import { gatherFacts } from '../../src/analysis/facts';
import { MIN_FILES_FOR_UNMENTIONED } from '../../src/analysis/facts/name-mentions';

before(loadAllLanguages);

interface TextFile {
  path: string;
  text: string;
}

/** Lines of `file` with a finding by default, and with one in the strict profile only, in the workspace `files`. */
function judged(file: TextFile, files: readonly TextFile[]): { reported: number[]; strictOnly: number[]; basis: string[] } {
  const facts = gatherFacts(files);
  const byDefault = analyzeText(file.path, file.text, { facts, rules: ['missing-timeout'] });
  const strict = analyzeText(file.path, file.text, { facts, rules: ['missing-timeout'], profile: 'strict' });
  if (byDefault.skipped !== undefined || strict.skipped !== undefined) return assert.fail(`${file.path} was skipped`);
  const reported = byDefault.findings.map((f) => f.line);
  const strictOnly = strict.findings.filter((f) => !reported.includes(f.line)).map((f) => f.line);
  return { reported, strictOnly, basis: strict.findings.map((f) => f.basis ?? '') };
}

describe('JavaScript/TypeScript functions and methods no other file names', () => {
  // A code base of some size: fifty modules that name nothing of the files under test.
  const rest = Array.from({ length: MIN_FILES_FOR_UNMENTIONED }, (_, i) => ({ path: `app/src/misc/m${i}.ts`, text: `export const value${i} = ${i};\n` }));
  const pkg = (fields: object = {}) => ({ path: 'app/package.json', text: JSON.stringify({ name: 'app', dependencies: { express: '4' }, ...fields }) });
  const helpers = {
    path: 'app/src/lib/vector.ts',
    text: [
      "export async function processDocument(id: string) {",
      "  return fetch(`https://vectors.example.com/${id}`, { method: 'POST' });",
      '}',
      'export async function search(q: string) {',
      "  return fetch(`https://vectors.example.com/search?q=${q}`);",
      '}',
      '',
    ].join('\n'),
  };
  const caller = { path: 'app/src/routes/search.ts', text: "import { search } from '../lib/vector';\nexport const find = (q: string) => search(q);\n" };

  test("an exported function nothing imports is strict only (papermark's processDocumentForVectorStore); one imported is not", () => {
    const { reported, strictOnly, basis } = judged(helpers, [pkg(), helpers, caller, ...rest]);
    assert.deepEqual(reported, [5]);
    assert.deepEqual(strictOnly, [2]);
    assert.ok(basis.some((b) => /nothing calls processDocument: no other file of the workspace names it/.test(b)));
  });

  test('a test naming the function keeps nothing alive; a mention anywhere else in production code does', () => {
    const spec = { path: 'app/src/lib/vector.test.ts', text: "import { processDocument } from './vector';\ntest('x', () => processDocument('1'));\n" };
    assert.deepEqual(judged(helpers, [pkg(), helpers, caller, spec, ...rest]).strictOnly, [2]);
    const registry = { path: 'app/src/jobs/registry.ts', text: "export const jobs = ['processDocument'];\n" };
    assert.deepEqual(judged(helpers, [pkg(), helpers, caller, registry, ...rest]).strictOnly, []);
  });

  test('never judged: a published library, a small workspace, an entry point, an export a framework calls by name', () => {
    assert.deepEqual(judged(helpers, [pkg({ types: 'dist/index.d.ts' }), helpers, caller, ...rest]).strictOnly, []);
    assert.deepEqual(judged(helpers, [pkg(), helpers, caller, ...rest.slice(3)]).strictOnly, []);
    const route = { path: 'app/src/app/api/sync/route.ts', text: "export async function GET() {\n  return fetch('https://api.example.com/sync');\n}\n" };
    assert.deepEqual(judged(route, [pkg(), route, ...rest]).strictOnly, []);
    const main = { path: 'app/src/server.ts', text: "export async function warmUp() {\n  return fetch('https://api.example.com/warm');\n}\n" };
    assert.deepEqual(judged(main, [pkg(), main, ...rest]).strictOnly, []);
  });

  test("a method of a class nothing names is strict only (flood's syncMainData); not with a supertype, a decorator, or a hook's name", () => {
    const client = {
      path: 'app/src/services/client.ts',
      text: [
        'export class TorrentClient {',
        '  async list() {',
        "    return fetch('https://daemon.local/list');",
        '  }',
        '  async syncMainData(rid: number) {',
        "    return fetch(`https://daemon.local/sync?rid=${rid}`);",
        '  }',
        '}',
        'export class Poller extends Base {',
        '  async tick() {',
        "    return fetch('https://daemon.local/tick');",
        '  }',
        '}',
        'export class Service {',
        "  @Cron('* * * * *')",
        '  async refresh() {',
        "    return fetch('https://daemon.local/refresh');",
        '  }',
        '  async onModuleInit() {',
        "    return fetch('https://daemon.local/init');",
        '  }',
        '}',
        '',
      ].join('\n'),
    };
    const user = { path: 'app/src/routes/list.ts', text: "import { TorrentClient } from '../services/client';\nexport const all = () => new TorrentClient().list();\n" };
    const { reported, strictOnly } = judged(client, [pkg(), client, user, ...rest]);
    assert.deepEqual(strictOnly, [6]);
    assert.deepEqual(reported, [3, 11, 17, 20]);
  });
});

describe('Java methods no other file names', () => {
  const java = (path: string, text: string) => ({ path: `src/main/java/${path}`, text });
  const rest = Array.from({ length: MIN_FILES_FOR_UNMENTIONED }, (_, i) => java(`rest/R${i}.java`, `package rest;\npublic class R${i} { int v${i}; }\n`));
  const server = { path: 'src/main/resources/application.properties', text: 'server.port=8080\n' };
  const utils = java(
    'p/LinksUtil.java',
    [
      'package p;',
      'import java.net.*;',
      '@Slf4j',
      'public class LinksUtil {',
      '  public static int faviconSize(String u) throws Exception {',
      '    HttpURLConnection c = (HttpURLConnection) new URL(u).openConnection();',
      '    return c.getContentLength();',
      '  }',
      '  public static int status(String u) throws Exception {',
      '    HttpURLConnection c = (HttpURLConnection) new URL(u).openConnection();',
      '    return c.getResponseCode();',
      '  }',
      '  static int probe(String u) throws Exception {',
      '    HttpURLConnection c = (HttpURLConnection) new URL(u).openConnection();',
      '    return c.getResponseCode();',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const caller = java('p/LinkService.java', 'package p;\n@Service\npublic class LinkService {\n  int check(String u) throws Exception { return LinksUtil.status(u); }\n}\n');

  test("a method of a utility class no other file names is strict only (OneBlog's getFaviconSize); one called is not", () => {
    const { reported, strictOnly } = judged(utils, [server, utils, caller, ...rest]);
    assert.deepEqual(reported, [10]);
    assert.deepEqual(strictOnly, [6, 14]);
  });

  test("a library's public methods are for others to call: without a server only package-private ones are judged", () => {
    assert.deepEqual(judged(utils, [utils, caller, ...rest]).strictOnly, [14]);
  });

  test("a module packaged as a war is an application, though no port is configured (ORCID's orcid-web): its public methods are judged; a jar's are not", () => {
    const war = { path: 'pom.xml', text: '<project><artifactId>web</artifactId>\n  <packaging>war</packaging>\n</project>\n' };
    assert.deepEqual(judged(utils, [war, utils, caller, ...rest]).strictOnly, [6, 14]);
    const jar = { path: 'pom.xml', text: '<project><artifactId>lib</artifactId>\n  <packaging>jar</packaging>\n</project>\n' };
    assert.deepEqual(judged(utils, [jar, utils, caller, ...rest]).strictOnly, [14]);
    const gradleWar = { path: 'build.gradle', text: "plugins {\n  id 'java'\n  id 'war'\n}\n" };
    assert.deepEqual(judged(utils, [gradleWar, utils, caller, ...rest]).strictOnly, [6, 14]);
  });

  test('never judged: an annotated method, a class with a supertype or a framework annotation, an accessor', () => {
    const reached = (name: string, header: string, method: string) =>
      java(`p/${name}.java`, `package p;\nimport java.net.*;\n${header} {\n  ${method} throws Exception {\n    HttpURLConnection c = (HttpURLConnection) new URL("http://x").openConnection();\n    return c.getResponseCode();\n  }\n}\n`);
    const files = [
      reached('Scheduled', 'public class Scheduled', '@Scheduled(fixedDelay = 1000) public int sweep()'),
      reached('Task', 'public class Task implements Callable<Integer>', 'public Integer call()'),
      reached('Soap', '@WebService public class Soap', 'public int quote()'),
      reached('Bean', 'public class Bean', 'public int getStatus()'),
    ];
    // Each class is used somewhere (a class nothing refers to is dead as a whole: facts/java-references.ts).
    const user = java('q/User.java', 'package q;\nimport p.*;\nclass User { Scheduled s; Task t; Soap o; Bean b; }\n');
    for (const file of files) assert.deepEqual(judged(file, [server, file, user, ...rest]).strictOnly, [], file.path);
  });
});
