// One file of a scan, read and analysed: the unit of work the main thread and the scan workers share, so that a
// parallel scan reports exactly what a serial one does.
import { analyzeText, type AnalyzeOptions, type TextAnalysis } from '../analysis/engine';
import { factsOfFile, type FileFacts } from '../analysis/facts';
import { readSource, type FsPath } from '../files/read-source';

/** What one file contributed (findings, or why it was skipped): plain data, it crosses threads by structured clone. */
export type FileOutcome = TextAnalysis;

export interface FileJob {
  /** Position in the walk's file list: outcomes are merged in this order. */
  readonly index: number;
  readonly absolute: FsPath;
  /** The path findings report (relative to the scan's working directory, forward slashes). */
  readonly file: string;
}

export function scanFile(job: FileJob, options: AnalyzeOptions): FileOutcome {
  const source = readSource(job.absolute);
  if ('skipped' in source) return { skipped: source.skipped };
  try {
    return analyzeText(job.file, source.text, options, source.bytes);
  } catch (error) {
    // Whatever goes wrong on one file (a parser trap, a bug of ours) costs that file, never the scan.
    return { skipped: `internal error while analysing: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The workspace facts one file declares (ports, base URLs, wrappers...): the first pass of a scan, shared the same way. */
export function factsOfJob(job: FileJob): FileFacts | undefined {
  const source = readSource(job.absolute);
  if ('skipped' in source) return undefined;
  try {
    return factsOfFile({ path: job.file, text: source.text });
  } catch {
    // A file we cannot read facts from declares none; its analysis, next, reports what went wrong.
    return undefined;
  }
}
