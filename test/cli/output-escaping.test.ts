// Every text output format against hostile names: a file name can hold any character but `/` and NUL, a thread
// name anything but a line break, and a pull request or a pasted dump chooses them. Property tests render random
// names through each format and check that no control or bidi character reaches the output, that no markup
// escapes into Markdown (rendered with markdown-it, as a reviewer's page would), and that each name can be read
// back exactly. Regression tests run the real CLI on such files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import type { Finding, Severity } from '../../src/analysis/finding';
import { NO_FACTS } from '../../src/analysis/facts';
import { formatTextReport } from '../../src/cli/dump-report';
import { formatGithub } from '../../src/cli/format/github';
import { formatMarkdown, SHOWN } from '../../src/cli/format/markdown';
import { formatSarif } from '../../src/cli/format/sarif';
import { formatText } from '../../src/cli/format/text';
import { unquote } from '../../src/cli/review/diff';
import type { ScanReport } from '../../src/cli/scan';
import { analyzeDump, reportToMarkdown } from '../../src/dump/index';
import { codeSpan, quoteName } from '../../src/dump/escape';
import { runCli, tempTree } from '../helpers';

/** What must never be printed raw: C0 controls but the newline that ends our lines, DEL, C1, bidi controls, U+2028/9. */
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;

/** Pieces that break things, mixed with arbitrary code points. */
const nasty = fc.constantFrom(
  '\u001b[31m', '\u001b]8;;https://evil.example\u0007', '\r', '\n', '\t', '\u0000', '\u007f', '\u0085', '\u009b', '\u202e', '\u2066', '\u2028',
  '`', '``', '|', '\\', '"', '<img src=x onerror=alert(1)>', '<script>', '&amp;', '@octocat', '# ', '*', '_', '[x](y)', '~~', ' ', '#', '?', '%',
  'é', '漢', '😀',
);
const piece = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 6 }));
const name = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')).filter((s) => s.trim() !== '');
/** A path of a few such segments, as findings carry them (forward slashes). */
const filePath = fc.array(name.map((s) => s.replace(/\//g, '_')), { minLength: 1, maxLength: 3 }).map((segments) => segments.join('/'));

function finding(file: string, line: number, severity: Severity, relatedFile?: string): Finding {
  return {
    rule: 'unclosed-resource',
    severity,
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 10,
    message: 'Socket is never closed: wrap it in try-with-resources.',
    ...(relatedFile !== undefined ? { related: [{ file: relatedFile, line: 3, message: 'port 8080 is declared here (server.port)' }] } : {}),
    confidence: 'certain',
    basis: 'java.net.Socket, resolved from the imports',
    fingerprint: `fp${line}`,
  };
}

function report(findings: Finding[], skipped: string[] = []): ScanReport {
  return {
    findings,
    files: findings.length,
    skipped: skipped.map((file) => ({ file, reason: 'larger than 5 MB' })),
    syntaxErrors: skipped.map((file) => ({ file, errors: 2, line: 7 })),
    failures: [],
    hidden: { testCode: 3, browserCode: 0, strictOnly: 1 },
    facts: NO_FACTS,
    ms: 1,
  };
}

const markdown = new MarkdownIt({ html: true });
/** The tags our Markdown may produce; anything else in the rendered page came from a name. */
const OWN_TAGS = new Set(['h1', 'h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'a', 'br', 'sub', 'details', 'summary', 'em', 'strong', 'hr']);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase());
}

function decodeHtml(text: string): string {
  return text.replace(/&(lt|gt|quot|amp|#39);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#39': "'" })[e] ?? e);
}

/** The texts of the <code> elements of the rendered page, as a reader sees them. */
function codeTexts(html: string): string[] {
  return [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decodeHtml(m[1]));
}

describe('text outputs against hostile names (property tests)', () => {
  test('quoteName: plain names unchanged, others quoted; no unsafe character out; unquote reads every name back', () => {
    fc.assert(
      fc.property(name, (n) => {
        const q = quoteName(n);
        assert.doesNotMatch(q, FORBIDDEN);
        assert.equal(unquote(q), n);
        if (!FORBIDDEN.test(n) && !n.includes('\\') && !n.includes('\n') && !n.startsWith('"')) assert.equal(q, n);
      }),
      { numRuns: 2000 },
    );
  });

  test('scan --format text: file, related and skipped names quoted, nothing unsafe printed, with and without colour', () => {
    fc.assert(
      fc.property(fc.uniqueArray(filePath, { minLength: 1, maxLength: 4 }), filePath, fc.boolean(), (files, other, color) => {
        const out = formatText(report(files.map((f, i) => finding(f, i + 1, 'warning', other)), [other]), { color });
        // Colour is ours: SGR sequences only, nothing else starts with ESC.
        const plain = color ? out.replace(/\u001b\[\d+m/g, '') : out;
        assert.doesNotMatch(plain, FORBIDDEN);
        const lines = plain.split('\n');
        for (const f of files) assert.ok(lines.includes(quoteName(f)), `the file heading ${JSON.stringify(quoteName(f))} is a line of its own`);
        assert.ok(plain.includes(`↳ ${quoteName(other)}:3 `), 'the related location names its file');
        assert.ok(lines.includes(`  ${quoteName(other)}: larger than 5 MB`), 'the skipped file is named');
        assert.ok(lines.includes(`  ${quoteName(other)}:7 (2 errors, the first here)`), 'the file with syntax errors is named with its line');
      }),
      { numRuns: 300 },
    );
  });

  test('scan --format markdown: names only inside code, no markup of theirs in the page, every name read back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(filePath, { minLength: 1, maxLength: 4 }), filePath, (files, other) => {
        const md = formatMarkdown(report(files.map((f, i) => finding(f, i + 1, i === 0 ? 'error' : 'warning', other))), {
          path: (f) => f,
          onlyNew: false,
          untouched: 0,
          accepted: 0,
        });
        assert.doesNotMatch(md, FORBIDDEN);
        const html = markdown.render(md);
        for (const tag of tagsOf(html)) assert.ok(OWN_TAGS.has(tag), `<${tag}> came from a name:\n${md}\n${html}`);
        assert.equal((html.match(/<h3>/g) ?? []).length, files.length, `one heading per file:\n${md}`);
        const headings = [...html.matchAll(/<h3><code>([\s\S]*?)<\/code><\/h3>/g)].map((m) => unquote(decodeHtml(m[1])));
        assert.deepEqual(new Set(headings), new Set(files), `the headings read back as the file names:\n${md}`);
        const related = codeTexts(html).map(unquote).filter((c) => c.endsWith(':3')).map((c) => c.slice(0, -2));
        assert.deepEqual(new Set(related), new Set([other]), `the related location reads back:\n${md}\n${html}`);
        assert.equal((html.match(/<tr>/g) ?? []).length, files.length * 2, 'one header row and one row per finding: no row broken or added');
      }),
      { numRuns: 300 },
    );
  });

  test('codeSpan: any text is one code element in a paragraph and in a table cell, and reads back', () => {
    fc.assert(
      fc.property(name, (n) => {
        const inline = markdown.render(`x ${codeSpan(n)} y`);
        assert.deepEqual(tagsOf(inline), ['p', 'code', 'code', 'p'], inline);
        assert.equal(unquote(codeTexts(inline)[0]), n);
        const table = markdown.render(`| a | b |\n| --- | --- |\n| ${codeSpan(n, true)} | z |\n`);
        const cells = [...table.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
        assert.equal(cells.length, 2, `the row keeps its two cells:\n${table}`);
        assert.equal(unquote(codeTexts(cells[0])[0]), n);
      }),
      { numRuns: 1000 },
    );
  });

  test('scan --format github: one annotation line per finding, the file property reads back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(filePath, { minLength: 1, maxLength: 4 }), (files) => {
        const out = formatGithub(report(files.map((f, i) => finding(f, i + 1, 'warning'))), { path: (f) => f });
        const lines = out.split('\n').filter(Boolean);
        assert.equal(lines.length, files.length);
        for (const line of lines) assert.doesNotMatch(line, /\r/);
        const back = lines.map((l) => /^::warning file=([^,]*),/.exec(l)?.[1] ?? '').map((v) => decodeURIComponent(v.replace(/%(?![0-9A-F]{2})/g, '%25')));
        assert.deepEqual(back, files);
      }),
      { numRuns: 300 },
    );
  });

  test('scan --format sarif: artifactLocation.uri is a relative reference whose segments decode to the path', () => {
    fc.assert(
      fc.property(filePath, (file) => {
        const sarif = JSON.parse(formatSarif(report([finding(file, 1, 'warning', file)], [file])));
        const result = sarif.runs[0].results[0];
        const uris: string[] = [
          result.locations[0].physicalLocation.artifactLocation.uri,
          result.relatedLocations[0].physicalLocation.artifactLocation.uri,
          sarif.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri,
        ];
        for (const uri of uris) {
          const resolved = new URL(uri, 'file:///src/root/');
          assert.equal(resolved.search, '', `no query: ${uri}`);
          assert.equal(resolved.hash, '', `no fragment: ${uri}`);
          assert.equal(uri.split('/').map(decodeURIComponent).join('/'), file);
          assert.doesNotMatch(uri, /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/, `only URI characters: ${uri}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  /** A HotSpot dump of one waiting thread per name. */
  function dumpOf(names: readonly string[]): string {
    const threads = names.map((n, i) =>
      [
        `"${n}" #${30 + i} [${4000 + i}] prio=5 os_prio=0 cpu=0.50ms elapsed=100.00s tid=0x00007f1c2c00${(1000 + i).toString(16)} nid=${4000 + i} waiting on condition  [0x00007f1bfa1fe000]`,
        '   java.lang.Thread.State: WAITING (parking)',
        '\tat jdk.internal.misc.Unsafe.park(java.base@21.0.2/Native Method)',
        `\tat com.example.Work${i}.run(Work${i}.java:${10 + i})`,
        '',
      ].join('\n'),
    );
    return ['Full thread dump OpenJDK 64-Bit Server VM (21.0.2+13-58 mixed mode, sharing):', '', ...threads].join('\n');
  }
  /**
   * Thread names are whatever is between the quotes of a header line: anything but a line break (and NUL, which
   * makes the paste binary). Plain threads around them keep the share of control characters that of a real dump.
   */
  const threadName = name.map((n) => n.replace(/[\r\n\0]/g, ' ')).filter((n) => n.trim() !== '');
  const PLAIN = Array.from({ length: 30 }, (_, i) => `plain-worker-${i}`);

  test('closewait dump text report and the Markdown report: thread and input names safe, quoted, read back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(threadName, { minLength: 1, maxLength: 3 }), filePath, (names, input) => {
        const dump = analyzeDump([{ name: input, text: dumpOf([...names, ...PLAIN]) }]);
        const parsed = dump.threads.groups.flatMap((g) => g.names).filter((n) => !PLAIN.includes(n));
        // A quote inside a name can make the header parser read it differently: whatever names it read must come out safe.
        assert.ok(parsed.length > 0, `the hostile threads are read: ${JSON.stringify(parsed)}`);

        const text = formatTextReport(dump);
        assert.doesNotMatch(text, FORBIDDEN);
        const quotedNames = [...text.matchAll(/ ("(?:[^"\\]|\\.)*")(?=,|$)/gm)].map((m) => unquote(m[1]));
        for (const p of parsed) assert.ok(quotedNames.includes(p), `${JSON.stringify(p)} reads back from the text report:\n${text}`);
        assert.ok(text.split('\n').some((l) => l.startsWith(`  ${quoteName(input)} `)), 'the input is named');

        const md = reportToMarkdown(dump);
        assert.doesNotMatch(md, FORBIDDEN);
        const html = markdown.render(md);
        for (const tag of tagsOf(html)) assert.ok(OWN_TAGS.has(tag), `<${tag}> came from a name:\n${md}`);
        const codes = codeTexts(html).map(unquote);
        for (const p of parsed) assert.ok(codes.includes(p), `${JSON.stringify(p)} reads back from the Markdown:\n${md}`);
        assert.ok(codes.includes(input), 'the input name reads back');
      }),
      { numRuns: 200 },
    );
  });
});

describe('the CLI on files with hostile names (regression tests)', () => {
  const LEAK = 'import java.net.Socket;\nclass A {\n  void f() throws Exception {\n    Socket s = new Socket("h", 1);\n    s.getOutputStream().write(1);\n  }\n}\n';
  const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J\r\u202eavaj.java';
  const markup = 'x\n# heading @octocat <img src=x onerror=alert(1)> `|`.java';

  test('scan text output prints an escape-laden file name quoted, with no ESC, CR or U+202E', () => {
    const tree = tempTree({ [hostile]: LEAK, 'b#c?d.java': LEAK });
    try {
      const run = runCli(['scan', '.'], { cwd: tree.dir });
      assert.equal(run.status, 1, run.stderr);
      assert.doesNotMatch(run.stdout, FORBIDDEN);
      assert.ok(run.stdout.split('\n').includes(quoteName(hostile)), run.stdout);
      assert.equal(unquote(quoteName(hostile)), hostile);
    } finally {
      tree.cleanup();
    }
  });

  test('scan --format markdown keeps a newline-and-markup file name inside its code span', () => {
    const tree = tempTree({ [markup]: LEAK });
    try {
      const run = runCli(['scan', '.', '--format', 'markdown'], { cwd: tree.dir });
      const html = markdown.render(run.stdout);
      for (const tag of tagsOf(html)) assert.ok(OWN_TAGS.has(tag), `<${tag}> in:\n${run.stdout}`);
      assert.doesNotMatch(html, /<h1>/);
      assert.ok(codeTexts(html).map(unquote).includes(markup), run.stdout);
    } finally {
      tree.cleanup();
    }
  });

  test('scan --format sarif percent-encodes # and ? in artifact URIs', () => {
    const tree = tempTree({ 'b#c?d.java': LEAK });
    try {
      const sarif = JSON.parse(runCli(['scan', '.', '--format', 'sarif'], { cwd: tree.dir }).stdout);
      assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'b%23c%3Fd.java');
    } finally {
      tree.cleanup();
    }
  });

  test('dump prints a thread name with ESC, OSC and U+202E escaped, in quotes', () => {
    const evil = 'worker\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u202e';
    const incident = readFileSync(join(__dirname, '..', 'fixtures', 'dumps', 'formats', 'jcmd-thread-print-jdk21.txt'), 'utf8');
    const first = /^"([^"]+)"/m.exec(incident)?.[1];
    assert.ok(first, 'the fixture has a thread');
    const run = runCli(['dump', '-'], { input: incident.replace(`"${first}"`, `"${evil}"`) });
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, FORBIDDEN);
    assert.ok(run.stdout.includes('"worker\\033]8;;https://evil.example\\aclick\\033]8;;\\a\\342\\200\\256"'), run.stdout);
  });
});

test(`the Markdown review folds findings past ${SHOWN} into a collapsed section`, () => {
  const findings = Array.from({ length: SHOWN + 5 }, (_, i) => finding(`src/F${String(i % 7).padStart(2, '0')}.java`, i + 1, i === 24 ? 'error' : i % 3 === 0 ? 'info' : 'warning'));
  const md = formatMarkdown(report(findings), { path: (f) => f, onlyNew: false, untouched: 0, accepted: 0 });
  const [shown, folded] = md.split('<details>');
  assert.ok(folded, md);
  const rows = (text: string) => text.split('\n').filter((l) => /^\| \d+ \|/.test(l));
  assert.equal(rows(shown).length, SHOWN);
  assert.equal(rows(folded).length, 5);
  assert.match(folded, /^\n<summary>5 more findings \(\d+ warnings?, \d+ info\) in \d+ files?<\/summary>\n/);
  // The file of the only error comes first, its error first of all.
  assert.match(shown, /^## CloseWait: 25 findings \(1 error, \d+ warnings, \d+ info\) in 7 files\n\n### `src\/F03\.java`\n\n.*\n.*\n\| 25 \| error \|/);
  // Within a file: severity, then line.
  const sev = { error: 2, warning: 1, info: 0 } as const;
  let previous: { file: string; severity: number; line: number } | undefined;
  let file = '';
  for (const line of md.split('\n')) {
    const heading = /^### `(.*)`$/.exec(line);
    if (heading) {
      file = heading[1];
      previous = undefined;
      continue;
    }
    const row = /^\| (\d+) \| (\w+) \|/.exec(line);
    if (!row) continue;
    const current = { file, severity: sev[row[2] as Severity], line: Number(row[1]) };
    if (previous) assert.ok(previous.severity > current.severity || (previous.severity === current.severity && previous.line < current.line), line);
    previous = current;
  }
  assert.ok(markdown.render(md).includes('<details>'));
});
