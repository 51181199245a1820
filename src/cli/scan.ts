// A whole scan: walk the paths, read and analyse each file, collect findings and everything that was skipped.
import type { Finding } from '../analysis/finding';
import { analyzeText, type AnalyzeOptions } from '../analysis/engine';
import { gatherFacts, type TextFile, type WorkspaceFacts } from '../analysis/facts';
import { loadAllLanguages } from '../analysis/parse/grammars';
import { readSource } from '../files/read-source';
import { displayPath, walk, type Skip } from '../files/walk';

export interface ScanOptions {
  readonly cwd: string;
  readonly exclude: readonly string[];
  readonly analyze: AnalyzeOptions;
  /** Called after each file with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ScanReport {
  readonly findings: Finding[];
  readonly files: number;
  readonly skipped: Skip[];
  readonly syntaxErrors: { file: string; errors: number }[];
  readonly failures: { file: string; rule: string; message: string }[];
  /** What the scan learnt about the workspace's own servers. */
  readonly facts: WorkspaceFacts;
  readonly ms: number;
}

export async function scan(paths: readonly string[], options: ScanOptions): Promise<ScanReport> {
  const started = performance.now();
  await loadAllLanguages();
  const { files, configFiles, skipped } = walk(paths, { cwd: options.cwd, exclude: options.exclude });
  const sources = new Map<string, ReturnType<typeof readSource>>();
  const read = (absolute: string) => {
    let source = sources.get(absolute);
    if (!source) {
      source = readSource(absolute);
      sources.set(absolute, source);
    }
    return source;
  };
  const facts = workspaceFacts(options.cwd, [...configFiles, ...files], read, options.analyze.facts?.extraHosts ?? []);
  sources.clear();
  const analyze: AnalyzeOptions = { ...options.analyze, facts };
  const findings: Finding[] = [];
  const syntaxErrors: ScanReport['syntaxErrors'] = [];
  const failures: ScanReport['failures'] = [];
  let analysed = 0;
  files.forEach((absolute, index) => {
    const file = displayPath(options.cwd, absolute);
    const source = read(absolute);
    if ('skipped' in source) {
      skipped.push({ file, reason: source.skipped });
    } else {
      const result = analyzeText(file, source.text, analyze, source.bytes);
      if (result.skipped !== undefined) {
        skipped.push({ file, reason: result.skipped });
      } else {
        analysed++;
        findings.push(...result.findings);
        if (result.syntaxErrors > 0) syntaxErrors.push({ file, errors: result.syntaxErrors });
        for (const f of result.failures) failures.push({ file, ...f });
      }
    }
    options.onProgress?.(index + 1, files.length);
  });
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return { findings, files: analysed, skipped, syntaxErrors, failures, facts, ms: Math.round(performance.now() - started) };
}

/** Facts first: rules such as self-call need to know every port the workspace listens on before any file is checked. */
function workspaceFacts(
  cwd: string,
  paths: readonly string[],
  read: (absolute: string) => ReturnType<typeof readSource>,
  extraHosts: readonly string[],
): WorkspaceFacts {
  const files: TextFile[] = [];
  for (const absolute of paths) {
    const source = read(absolute);
    if (!('skipped' in source)) files.push({ path: displayPath(cwd, absolute), text: source.text });
  }
  return gatherFacts(files, extraHosts);
}
