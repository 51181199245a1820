// `closewait scan [paths...]`: argument handling, progress, review filtering (diff base, baseline), output format
// and exit code around `scan`.
import { parseArgs } from 'node:util';
import { SEVERITY_ORDER, type Severity } from '../analysis/finding';
import { RULES } from '../analysis/rules';
import { PROFILES, TEST_CODE_POLICIES, type Profile, type TestCodePolicy } from '../analysis/scope/policy';
import { formatGithub } from './format/github';
import { formatJson } from './format/json';
import { formatMarkdown } from './format/markdown';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { readBaseline, writeBaseline } from './review/baseline';
import { changesSince } from './review/diff';
import { repositoryIfAny, ReviewError, toRepositoryPath, type Repository } from './review/git';
import { selectFindings, type ReviewScope, type Selection } from './review/select';
import { scan, type ScanReport } from './scan';
import { UnreadablePath } from '../files/walk';
import { safeText } from '../dump/escape';

const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
type Format = (typeof FORMATS)[number];
const SEVERITIES = ['error', 'warning', 'info'] as const satisfies readonly Severity[];

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      rule: { type: 'string', multiple: true, default: [] },
      exclude: { type: 'string', multiple: true, default: [] },
      'diff-base': { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      'fail-on': { type: 'string', default: 'warning' },
      profile: { type: 'string', default: 'default' },
      'include-tests': { type: 'boolean', default: false },
      'test-code': { type: 'string' },
      jobs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}' (expected ${FORMATS.join(', ')})`);
  const known = new Set(RULES.map((r) => r.meta.id));
  for (const id of values.rule ?? []) if (!known.has(id)) throw new UsageError(`unknown rule '${id}' (rules: ${[...known].join(', ')})`);
  const failOn = values['fail-on'] as Severity;
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`unknown severity '${values['fail-on']}' for --fail-on (expected ${SEVERITIES.join(', ')})`);
  const profile = values.profile as Profile;
  if (!PROFILES.includes(profile)) throw new UsageError(`unknown profile '${values.profile}' (expected ${PROFILES.join(' or ')})`);
  const testCode = (values['test-code'] ?? (values['include-tests'] ? 'report' : 'hide')) as TestCodePolicy;
  if (!TEST_CODE_POLICIES.includes(testCode)) throw new UsageError(`unknown --test-code '${values['test-code']}' (expected ${TEST_CODE_POLICIES.join(', ')})`);
  if (values['include-tests'] && values['test-code'] !== undefined && testCode !== 'report') {
    throw new UsageError(`--include-tests and --test-code ${testCode} contradict each other`);
  }
  for (const option of ['diff-base', 'baseline', 'write-baseline'] as const) {
    if (values[option] === '') throw new UsageError(`--${option} needs a value`);
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(/^\d+$/.test(values.jobs ?? '') && jobs >= 1 && Number.isSafeInteger(jobs))) {
    throw new UsageError(`--jobs needs a positive integer (got '${values.jobs}')`);
  }
  return {
    format,
    rules: values.rule ?? [],
    exclude: values.exclude ?? [],
    diffBase: values['diff-base'],
    baseline: values.baseline,
    writeBaseline: values['write-baseline'],
    failOn,
    profile,
    testCode,
    jobs,
    help: !!values.help,
    paths: positionals.length > 0 ? positionals : ['.'],
  };
}

const HELP = `Usage: closewait scan [paths...] [options]

Scans Java, TypeScript and JavaScript sources for sockets and HTTP responses left open, network calls without
timeouts, unbounded waits and self-referential HTTP calls.

Options:
  -f, --format <format>       text, json, sarif, github (workflow commands) or markdown (a review comment);
                              default: text
      --rule <id>             run only this rule (repeatable): ${RULES.map((r) => r.meta.id).join(', ')}
      --exclude <glob>        skip matching paths (repeatable), e.g. --exclude "**/generated/**"
      --profile <profile>     default: only certain findings in production server code; strict: also findings
                              built on a guess (a type not visible here, a name), waits outside request handling,
                              and browser code
      --include-tests         report findings in test code too (tests, benchmarks, fixtures, mocks, examples,
                              scripts and command-line tools); same as --test-code report
      --test-code <policy>    hide (default), info (report them as info) or report
      --jobs <n>              analyse on n worker threads (default: one per core from 512 KB of source; 1: none)

Code review:
      --diff-base <git-ref>   report only findings in lines changed since the merge base with <git-ref>
                              (commits, uncommitted edits and untracked files); a self-call also counts when
                              the port it calls was declared in a changed line
      --baseline <file>       do not report the findings accepted in this baseline file
      --write-baseline <file> accept every current finding: write them all to <file>
      --fail-on <severity>    exit 1 only for a reported finding of this severity or above:
                              error, warning or info (default: warning)

Exit codes: 0 no reported finding at or above --fail-on, 1 at least one, 2 usage error, unreadable path or
baseline, or --diff-base outside a git repository or with an unknown ref.
See docs/code-review.md for CI set-ups.
`;

function progressReporter(): { update(done: number, total: number): void; clear(): void } {
  if (!process.stderr.isTTY) return { update() {}, clear() {} };
  const started = performance.now();
  let shown = false;
  let last = 0;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - started < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\u001b[2Kclosewait: scanning ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files`);
    },
    clear() {
      if (shown) process.stderr.write('\r\u001b[2K');
    },
  };
}

type ScanArgs = ReturnType<typeof parse>;

export async function scanCommand(argv: string[]): Promise<number> {
  let options: ScanArgs;
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`closewait scan: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const progress = progressReporter();
  try {
    return await scanAndReport(options, progress);
  } catch (error) {
    progress.clear();
    if (error instanceof UnreadablePath || error instanceof ReviewError) {
      process.stderr.write(`closewait scan: ${safeText(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}

async function scanAndReport(options: ScanArgs, progress: ReturnType<typeof progressReporter>): Promise<number> {
  const cwd = process.cwd();
  // Before the scan: a wrong ref or a broken baseline should fail in a second, not after a long scan.
  const diff = options.diffBase !== undefined ? changesSince(options.diffBase, cwd) : undefined;
  let baseline = options.baseline !== undefined ? readBaseline(options.baseline, cwd) : undefined;
  const report = await scan(options.paths, {
    cwd,
    exclude: options.exclude,
    analyze: { rules: options.rules, profile: options.profile, testCode: options.testCode },
    jobs: options.jobs,
    onProgress: progress.update,
  });
  progress.clear();
  if (options.writeBaseline !== undefined) {
    baseline = writeBaseline(options.writeBaseline, report.findings, cwd);
    process.stderr.write(`closewait: wrote ${plural(report.findings.length, 'finding')} to ${options.writeBaseline}\n`);
  }
  const review: ReviewScope = { diff, baseline };
  const selection = selectFindings(report.findings, review, cwd);
  reportReviewNotes(selection, review, options);
  const reported: ScanReport = { ...report, findings: selection.findings };
  const forReview = options.format === 'github' || options.format === 'markdown';
  const repository = diff?.repository ?? (forReview ? repositoryIfAny(cwd) : undefined);
  process.stdout.write(render(reported, selection, options.format, repository));
  const threshold = SEVERITY_ORDER[options.failOn];
  return selection.findings.some((f) => SEVERITY_ORDER[f.severity] >= threshold) ? 1 : 0;
}

function render(report: ScanReport, selection: Selection, format: Format, repository: Repository | undefined): string {
  // Review tools annotate paths from the repository root, whatever folder the scan ran in.
  const path = (file: string) => (repository && toRepositoryPath(repository, file)) ?? file;
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'github':
      return formatGithub(report, { path });
    case 'markdown':
      return formatMarkdown(report, { path, onlyNew: selection.onlyNew, untouched: selection.untouched, accepted: selection.accepted });
    case 'text':
      return formatText(report, { color: !!process.stdout.isTTY && !process.env.NO_COLOR });
  }
}

/** One-line notes on stderr, so a CI log says what review mode compared and left out while stdout stays parseable. */
function reportReviewNotes(selection: Selection, review: ReviewScope, options: ScanArgs): void {
  const notes: string[] = [];
  if (review.diff) {
    notes.push(
      review.diff.mergeBase === ''
        ? `no commit yet: every file is new (${plural(review.diff.changes.size, 'file')})`
        : `reviewing changes since ${review.diff.mergeBase.slice(0, 12)} (merge base with ${options.diffBase}): ${plural(review.diff.changes.size, 'changed file')}`,
    );
  }
  const hidden = [
    selection.untouched > 0 ? `${plural(selection.untouched, 'finding')} in code the change does not touch` : '',
    selection.accepted > 0 ? `${selection.accepted.toLocaleString('en-US')} accepted in the baseline` : '',
  ].filter(Boolean);
  if (hidden.length > 0) notes.push(`not shown: ${hidden.join(', ')}`);
  // Entries of rules that did not run cannot match: they are not stale.
  const ran = (rule: string) => options.rules.length === 0 || options.rules.includes(rule);
  const stale = selection.unmatched.filter((e) => ran(e.rule)).length;
  if (stale > 0) {
    notes.push(
      `${plural(stale, 'baseline entry', 'baseline entries')} matched no finding (fixed, changed, or not scanned); --write-baseline ${options.baseline} refreshes the file`,
    );
  }
  for (const note of notes) process.stderr.write(`closewait: ${note}\n`);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
