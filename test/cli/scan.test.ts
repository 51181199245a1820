import assert from 'node:assert/strict';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RULES } from '../../src/analysis';
import { MIN_JAVA_FILES_FOR_DEAD_CODE } from '../../src/analysis/facts/java-references';
import { VERSION } from '../../src/version';
import { expectedLines, fixtureRoot } from '../analysis/expectations';
import { repoRoot, runCli, tempTree } from '../helpers';

const LEAKY_JAVA = `import java.net.Socket;
class Leak {
    void send(String host) throws Exception {
        Socket socket = new Socket(host, 7000);
        socket.getOutputStream().write(1);
        socket.getInputStream().read();
    }
}
`;
const CLEAN_TS = `export function add(a: number, b: number): number {\n  return a + b;\n}\n`;
/** Only an info finding: an unbounded wait outside request-handling code. */
const INFO_JAVA = `import java.util.concurrent.Future;
class Batch {
    String run(Future<String> future) throws Exception {
        return future.get();
    }
}
`;

describe('closewait scan: what the default profile leaves out', () => {
  const PAGE_JS = "export async function load(url) {\n  const res = await fetch(url);\n  document.body.textContent = String(res.status);\n}\n";
  const files = {
    'src/main/java/Leak.java': LEAKY_JAVA,
    'src/test/java/LeakTest.java': LEAKY_JAVA,
    'src/main/webapp/js/page.js': PAGE_JS,
    'src/main/java/Batch.java': INFO_JAVA,
    'web/vendor/jquery.js': 'jQuery.ajax({ url });\n',
    'web/app.min.js': 'fetch(u)\n',
  };

  test('test code, browser code and uncertain findings are counted in the summary, never silently dropped', () => {
    const { dir, cleanup } = tempTree(files);
    try {
      const text = runCli(['scan'], { cwd: dir });
      assert.equal(text.status, 1, text.stderr);
      assert.match(text.stdout, /2 findings \(2 warnings\) in 1 file/);
      assert.match(text.stdout, /not shown: 2 in tests, examples and scripts \(--include-tests\), 2 in browser code \(--profile strict\), 1 uncertain or outside request handling \(--profile strict\)/);
      assert.match(text.stdout, /web\/vendor: vendored code/);
      assert.match(text.stdout, /web\/app\.min\.js: minified \(\*\.min\.js\)/);
      const json = JSON.parse(runCli(['scan', '--format', 'json'], { cwd: dir }).stdout);
      assert.deepEqual(json.summary.hidden, { testCode: 2, browserCode: 2, strictOnly: 1 });
      const sarif = JSON.parse(runCli(['scan', '--format', 'sarif'], { cwd: dir }).stdout);
      assert.deepEqual(sarif.runs[0].properties.hidden, { testCode: 2, browserCode: 2, strictOnly: 1 });
      assert.match(runCli(['scan', '--format', 'markdown'], { cwd: dir }).stdout, /not shown: 2 in tests, examples and scripts/);
    } finally {
      cleanup();
    }
  });

  test('--include-tests, --test-code and --profile strict show them', () => {
    const { dir, cleanup } = tempTree(files);
    try {
      const files = (args: string[]) => {
        const report = JSON.parse(runCli(['scan', '--format', 'json', ...args], { cwd: dir }).stdout);
        return report.findings.map((f: { file: string; severity: string }) => `${f.file} ${f.severity}`);
      };
      assert.deepEqual(files(['--include-tests']).filter((f: string) => f.startsWith('src/test/')), ['src/test/java/LeakTest.java warning', 'src/test/java/LeakTest.java warning']);
      assert.deepEqual(files(['--test-code', 'info']).filter((f: string) => f.startsWith('src/test/')), ['src/test/java/LeakTest.java info', 'src/test/java/LeakTest.java info']);
      const strict = files(['--profile', 'strict']);
      assert.ok(strict.includes('src/main/java/Batch.java info'), 'the wait outside request handling');
      assert.ok(strict.some((f: string) => f.startsWith('src/main/webapp/js/page.js')), 'browser code');
      assert.ok(!strict.some((f: string) => f.startsWith('src/test/')), 'test code keeps its own policy');
      const bad = runCli(['scan', '--profile', 'lenient'], { cwd: dir });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /unknown profile 'lenient' \(expected default or strict\)/);
      assert.equal(runCli(['scan', '--include-tests', '--test-code', 'hide'], { cwd: dir }).status, 2);
    } finally {
      cleanup();
    }
  });
});

describe('closewait scan: exit codes', () => {
  test('0 when nothing is found', () => {
    const { dir, cleanup } = tempTree({ 'src/math.ts': CLEAN_TS });
    try {
      const run = runCli(['scan', '.'], { cwd: dir });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /No findings · 1 file scanned/);
    } finally {
      cleanup();
    }
  });

  test('1 when a warning is found, with the finding in the text report', () => {
    const { dir, cleanup } = tempTree({ 'src/Leak.java': LEAKY_JAVA, 'src/math.ts': CLEAN_TS });
    try {
      const run = runCli(['scan'], { cwd: dir });
      assert.equal(run.status, 1);
      assert.match(run.stdout, /^src\/Leak\.java$/m);
      assert.match(run.stdout, /4:25\s+warning\s+Socket is never closed: wrap it in try-with-resources\.\s+unclosed-resource/);
      assert.match(run.stdout, /4:25\s+warning\s+Socket has no read timeout \(setSoTimeout\) and no connect timeout/);
      assert.match(run.stdout, /2 findings \(2 warnings\) in 1 file · 2 files scanned/);
    } finally {
      cleanup();
    }
  });

  test('0 for info findings, which --fail-on info turns into 1', () => {
    const { dir, cleanup } = tempTree({ 'src/Batch.java': INFO_JAVA });
    try {
      // A wait outside request handling: an info finding of the strict profile.
      const run = runCli(['scan', '--profile', 'strict'], { cwd: dir });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /4:16\s+info\s+Future\.get\(\) waits without a time limit/);
      assert.match(run.stdout, /1 finding \(1 info\) in 1 file/);
      assert.equal(runCli(['scan', '--profile', 'strict', '--fail-on', 'info'], { cwd: dir }).status, 1);
      assert.equal(runCli(['scan', '--profile', 'strict', '--fail-on', 'warning'], { cwd: dir }).status, 0);
    } finally {
      cleanup();
    }
  });

  test('--fail-on error: warnings are reported but do not fail', () => {
    const { dir, cleanup } = tempTree({ 'src/Leak.java': LEAKY_JAVA });
    try {
      const run = runCli(['scan', '--fail-on', 'error'], { cwd: dir });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /2 findings \(2 warnings\) in 1 file/);
    } finally {
      cleanup();
    }
  });

  test('2 on a usage error or an unreadable path, with a message on stderr', () => {
    const unknownFormat = runCli(['scan', '--format', 'xml']);
    assert.equal(unknownFormat.status, 2);
    assert.match(unknownFormat.stderr, /unknown format 'xml'/);
    const unknownRule = runCli(['scan', '--rule', 'no-such-rule']);
    assert.equal(unknownRule.status, 2);
    assert.match(unknownRule.stderr, /unknown rule 'no-such-rule'/);
    const unknownSeverity = runCli(['scan', '--fail-on', 'never']);
    assert.equal(unknownSeverity.status, 2);
    assert.match(unknownSeverity.stderr, /unknown severity 'never' for --fail-on/);
    const missing = runCli(['scan', 'does/not/exist']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read does\/not\/exist: no such file or directory/);
    const command = runCli(['frobnicate']);
    assert.equal(command.status, 2);
    assert.match(command.stderr, /unknown command 'frobnicate'/);
  });
});

describe('closewait scan: JSON contract', () => {
  test('findings carry the documented fields, 1-based positions and forward-slash relative paths', () => {
    const run = runCli(['scan', '--format', 'json', '--include-tests', 'test/fixtures/unclosed-resource/java/OkHttp.java']);
    assert.equal(run.status, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.tool, 'closewait');
    assert.equal(report.version, VERSION);
    const text = readFileSync(join(fixtureRoot, 'unclosed-resource/java/OkHttp.java'), 'utf8');
    assert.deepEqual(
      report.findings.map((f: { line: number }) => f.line),
      expectedLines(text, 'unclosed-resource'),
    );
    const first = report.findings[0];
    assert.deepEqual(
      Object.keys(first).sort(),
      ['basis', 'column', 'confidence', 'endColumn', 'endLine', 'file', 'fingerprint', 'line', 'message', 'resource', 'rule', 'severity'].sort(),
    );
    assert.equal(first.confidence, 'certain');
    assert.match(first.basis, /OkHttp|okhttp3/);
    assert.equal(first.rule, 'unclosed-resource');
    assert.equal(first.severity, 'warning');
    assert.equal(first.file, 'test/fixtures/unclosed-resource/java/OkHttp.java');
    assert.equal(first.resource, 'okhttp3.Response');
    // `client.newCall(request).execute()` starts at column 29 of line 15 (1-based).
    const line = text.split('\n')[first.line - 1];
    assert.equal(line.indexOf('client.newCall') + 1, first.column);
    assert.equal(line.indexOf(';') + 1, first.endColumn);
    assert.deepEqual(Object.keys(report.summary).sort(), ['files', 'hidden', 'ms', 'parseErrors', 'ruleFailures', 'skipped', 'syntaxErrors']);
    assert.deepEqual(report.summary.hidden, { testCode: 0, browserCode: 0, strictOnly: 0 });
    assert.equal(report.summary.files, 1);
    assert.equal(typeof report.summary.ms, 'number');
  });

  test('--rule and --exclude narrow the scan; .gitignore, build folders and captures are not read', () => {
    const { dir, cleanup } = tempTree({
      'src/Leak.java': LEAKY_JAVA,
      // closewait capture's folder: what it holds is evidence of an incident, not code (a pasted stack, a config).
      '.closewait/captures/20260501-100005-app-4711/Leak.java': LEAKY_JAVA,
      '.closewait/captures/20260501-100005-app-4711/application.properties': 'server.port=8080\n',
      'generated/Leak.java': LEAKY_JAVA,
      'node_modules/lib/Leak.java': LEAKY_JAVA,
      'target/Leak.java': LEAKY_JAVA,
      'ignored/Leak.java': LEAKY_JAVA,
      'src/Ignored.java': LEAKY_JAVA,
      '.gitignore': 'ignored/\nIgnored.java\n',
    });
    try {
      const all = JSON.parse(runCli(['scan', '--format', 'json', '--rule', 'unclosed-resource'], { cwd: dir }).stdout);
      assert.deepEqual(all.findings.map((f: { file: string }) => f.file), ['generated/Leak.java', 'src/Leak.java']);
      const excluded = JSON.parse(runCli(['scan', '--format', 'json', '--exclude', 'generated'], { cwd: dir }).stdout);
      assert.deepEqual(excluded.findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`), [
        'src/Leak.java missing-timeout',
        'src/Leak.java unclosed-resource',
      ]);
      const oneRule = runCli(['scan', '--format', 'json', '--rule', 'missing-timeout', 'src/Leak.java'], { cwd: dir });
      assert.deepEqual(JSON.parse(oneRule.stdout).findings.map((f: { rule: string }) => f.rule), ['missing-timeout']);
    } finally {
      cleanup();
    }
  });
});

describe('closewait scan: bad input is skipped with a reason', () => {
  test('binary file, huge file, broken symlink, non-UTF-8 text, syntax errors', () => {
    const latin1Java = new Uint8Array(Buffer.from('// Größe\nclass L { void f() throws Exception { new java.net.Socket("h", 1); } }\n', 'latin1'));
    const { dir, cleanup } = tempTree({
      'Binary.java': new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 1]),
      'huge.js': `const x = [${'1,'.repeat(3 * 1024 * 1024)}];\n`,
      'Latin.java': latin1Java,
      'Broken.java': [
        'class Broken {',
        '    void leak() throws Exception {',
        '        java.net.Socket s = new java.net.Socket("h", 1);',
        '        s.getInputStream().read();',
        '    }',
        '    void unfinished( {',
        '        int x = ;',
        '    }',
        '}',
        '',
      ].join('\n'),
    });
    try {
      symlinkSync(join(dir, 'missing-target.ts'), join(dir, 'dangling.ts'));
      const run = runCli(['scan', '--format', 'json', '--rule', 'unclosed-resource'], { cwd: dir });
      assert.equal(run.status, 1, run.stderr);
      const report = JSON.parse(run.stdout);
      const reasons = Object.fromEntries(report.summary.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason]));
      assert.match(reasons['Binary.java'], /NUL bytes/);
      assert.match(reasons['huge.js'], /larger than 5 MB/);
      assert.equal(reasons['dangling.ts'], 'broken symbolic link');
      assert.equal(report.summary.files, 2);
      assert.equal(report.summary.parseErrors, 1);
      assert.equal(report.summary.syntaxErrors[0].file, 'Broken.java');
      const files = report.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`).sort();
      assert.deepEqual(files, ['Broken.java:3', 'Latin.java:2']);
    } finally {
      cleanup();
    }
  });
});

describe('closewait scan: SARIF', () => {
  test('is valid SARIF 2.1.0 with rule metadata, regions and fingerprints', () => {
    const run = runCli(['scan', '--format', 'sarif', '--include-tests', 'test/fixtures/unclosed-resource']);
    assert.equal(run.status, 1);
    const sarif = JSON.parse(run.stdout);
    const schema = JSON.parse(
      readFileSync(join(repoRoot, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // The published schema's language-tag pattern is not valid under the `u` flag: compile patterns without it.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(JSON.parse(run.stdout));
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const driver = sarif.runs[0].tool.driver;
    assert.deepEqual(driver.rules.map((r: { id: string }) => r.id), RULES.map((r) => r.meta.id));
    for (const rule of driver.rules) assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
    const json = JSON.parse(runCli(['scan', '--format', 'json', '--include-tests', 'test/fixtures/unclosed-resource']).stdout);
    assert.equal(sarif.runs[0].results.length, json.findings.length);
    const result = sarif.runs[0].results[0];
    const finding = json.findings[0];
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, finding.file);
    assert.deepEqual(result.locations[0].physicalLocation.region, {
      startLine: finding.line,
      startColumn: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
    });
    assert.equal(result.partialFingerprints['closewait/v1'], finding.fingerprint);
  });
});

describe('version', () => {
  test('the CLI reports the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    assert.equal(VERSION, pkg.version);
    assert.equal(runCli(['--version']).stdout.trim(), pkg.version);
  });
});

describe('closewait scan: self-call across a workspace', () => {
  test('facts are gathered before the rules run; the JSON finding carries related information', () => {
    const run = runCli(['scan', '--format', 'json', '--rule', 'self-call', '.'], { cwd: join(repoRoot, 'test/fixtures/self-call/spring-boot-yml') });
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    const first = report.findings[0];
    assert.equal(first.rule, 'self-call');
    assert.equal(first.severity, 'error');
    assert.equal(first.file, 'src/main/java/com/example/catalog/CatalogController.java');
    assert.deepEqual(first.related, [{ file: 'src/main/resources/application.yml', line: 6, message: 'port 8081 is declared here (server.port)' }]);
    const text = runCli(['scan', '--rule', 'self-call', '.'], { cwd: join(repoRoot, 'test/fixtures/self-call/spring-boot-yml') });
    assert.match(text.stdout, /↳ src\/main\/resources\/application\.yml:6 port 8081 is declared here \(server\.port\)/);
  });
});

test('the text report names each file with syntax errors at its first error line', () => {
  const tree = tempTree({ 'Broken.java': 'class Broken {\n  void f() {\n    int x = ;\n  }\n}\n', 'ok.ts': CLEAN_TS });
  try {
    const run = runCli(['scan', '.'], { cwd: tree.dir });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes('Syntax errors in 1 file (analysed where they parse):'), run.stdout);
    assert.ok(lines.includes('  Broken.java:3'), run.stdout);
    const json = JSON.parse(runCli(['scan', '.', '--format', 'json'], { cwd: tree.dir }).stdout);
    assert.deepEqual(json.summary.syntaxErrors, [{ file: 'Broken.java', errors: 1, line: 3 }]);
  } finally {
    tree.cleanup();
  }
});

test('a class no other file refers to is dead code, judged only in a scan of the whole folder of a code base', () => {
  const files: Record<string, string> = { 'src/main/java/legacy/HttpHelper.java': `package legacy;\n${LEAKY_JAVA.replace('class Leak', 'public class HttpHelper')}` };
  for (let i = 0; i < MIN_JAVA_FILES_FOR_DEAD_CODE; i++) files[`src/main/java/app/C${i}.java`] = `package app;\npublic class C${i} { }\n`;
  const tree = tempTree(files);
  try {
    const whole = JSON.parse(runCli(['scan', '--format', 'json'], { cwd: tree.dir }).stdout);
    type Found = { file: string; rule: string; basis: string };
    assert.deepEqual(whole.findings, []);
    const strict = JSON.parse(runCli(['scan', '--format', 'json', '--profile', 'strict'], { cwd: tree.dir }).stdout);
    assert.ok(strict.findings.length > 0);
    assert.equal(whole.summary.hidden.strictOnly, strict.findings.length);
    for (const f of strict.findings as Found[]) assert.match(f.basis, /no other file of the workspace refers to this class/);
    // A scan of part of the folder cannot tell who refers to the class: its findings are judged as usual.
    const part = JSON.parse(runCli(['scan', 'src/main/java/legacy', '--format', 'json'], { cwd: tree.dir }).stdout);
    const rules = (list: Found[]) => list.map((f) => `${f.file} ${f.rule}`);
    assert.deepEqual(rules(part.findings), rules(strict.findings));
  } finally {
    tree.cleanup();
  }
});
