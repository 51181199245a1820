// A whole scan: walk the paths, read and analyse each file, collect findings and everything that was skipped.
import type { Finding } from '../analysis/finding';
import { analyzeText, type AnalyzeOptions } from '../analysis/engine';
import { loadAllLanguages } from '../analysis/parse/grammars';
import { readSource } from './read-source';
import { displayPath, walk, type Skip } from './walk';

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
  readonly ms: number;
}

export async function scan(paths: readonly string[], options: ScanOptions): Promise<ScanReport> {
  const started = performance.now();
  await loadAllLanguages();
  const { files, skipped } = walk(paths, { cwd: options.cwd, exclude: options.exclude });
  const findings: Finding[] = [];
  const syntaxErrors: ScanReport['syntaxErrors'] = [];
  const failures: ScanReport['failures'] = [];
  let analysed = 0;
  files.forEach((absolute, index) => {
    const file = displayPath(options.cwd, absolute);
    const source = readSource(absolute);
    if ('skipped' in source) {
      skipped.push({ file, reason: source.skipped });
    } else {
      const result = analyzeText(file, source.text, options.analyze, source.bytes);
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
  return { findings, files: analysed, skipped, syntaxErrors, failures, ms: Math.round(performance.now() - started) };
}
