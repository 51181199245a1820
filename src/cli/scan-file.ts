// One file of a scan, read and analysed: the unit of work the main thread and the scan workers share, so that a
// parallel scan reports exactly what a serial one does.
import { analyzeParsed, analyzeText, type AnalyzeOptions, type TextAnalysis } from '../analysis/engine';
import { factsOfFile, type FileFacts } from '../analysis/facts';
import { languageForPath } from '../analysis/parse/grammars';
import { MAX_SOURCE_BYTES, type SourceFile } from '../analysis/parse/source';
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

/**
 * Sources the facts pass parsed in this thread (those that may declare a server, a wrapper or a factory), kept for
 * this thread's analysis of the same file, which then neither reads nor parses it again. Up to KEEP_BYTES of source:
 * a tree takes some 30 bytes of memory per character, and all of them are held until the analysis pass.
 */
const parsedForFacts = new Map<string, SourceFile>();
const KEEP_BYTES = 8 * 1024 * 1024;
let keptBytes = 0;

/**
 * The texts of the other sources the facts pass read in this thread, kept for this thread's analysis of the same
 * file, which then does not read and decode it again (reading was 7% of a scan of node_modules, done twice). Up to
 * KEEP_TEXT_CHARS: unlike trees, files are not sent back to the thread that holds their text (which would undo the
 * analysis pass's balancing), so in a parallel scan what another thread analyses stays here until the scan ends.
 */
const readForFacts = new Map<string, { readonly text: string; readonly bytes: number }>();
const KEEP_TEXT_CHARS = 16 * 1024 * 1024;
let keptChars = 0;

/** A kept tree's key: the file's path, when it is a string (a path that is no valid UTF-8 comes as bytes, never kept). */
function keptKey(job: FileJob): string | undefined {
  return typeof job.absolute === 'string' ? job.absolute : undefined;
}

export function scanFile(job: FileJob, options: AnalyzeOptions): FileOutcome {
  const key = keptKey(job);
  const parsed = key !== undefined ? parsedForFacts.get(key) : undefined;
  const source = parsed ? undefined : (takeText(key) ?? readSource(job.absolute));
  if (source && 'skipped' in source) return { skipped: source.skipped };
  try {
    if (parsed) {
      parsedForFacts.delete(key!);
      keptBytes -= parsed.text.length;
      return analyzeParsed(parsed, options);
    }
    return analyzeText(job.file, source!.text, options, source!.bytes);
  } catch (error) {
    // Whatever goes wrong on one file (a parser trap, a bug of ours) costs that file, never the scan.
    return { skipped: `internal error while analysing: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The workspace facts one file declares (ports, base URLs, wrappers...): the first pass of a scan, shared the same way. */
export function factsOfJob(job: FileJob, keep = false): FileFacts | undefined {
  const source = readSource(job.absolute);
  if ('skipped' in source) return undefined;
  const key = keptKey(job);
  const keeper = (parsed: SourceFile): boolean => {
    // Only what the analysis would parse the same way: it skips a file over the size limit by its size on disk.
    if (key === undefined || source.bytes > MAX_SOURCE_BYTES || keptBytes + parsed.text.length > KEEP_BYTES) return false;
    parsedForFacts.set(key, parsed);
    keptBytes += parsed.text.length;
    return true;
  };
  try {
    return factsOfFile({ path: job.file, text: source.text }, keep ? keeper : undefined);
  } catch {
    // A file we cannot read facts from declares none; its analysis, next, reports what went wrong.
    return undefined;
  } finally {
    // Configuration files are read for their facts only.
    if (keep && key !== undefined && languageForPath(job.file) && !parsedForFacts.has(key) && keptChars + source.text.length <= KEEP_TEXT_CHARS) {
      readForFacts.set(key, source);
      keptChars += source.text.length;
    }
  }
}

/** The text the facts pass read of this file in this thread, if it kept it (see readForFacts); taken only once. */
function takeText(key: string | undefined): { readonly text: string; readonly bytes: number } | undefined {
  const kept = key !== undefined ? readForFacts.get(key) : undefined;
  if (kept === undefined) return undefined;
  readForFacts.delete(key!);
  keptChars -= kept.text.length;
  return kept;
}

/** Whether this thread holds the facts pass's tree of `job`'s file (see parsedForFacts). */
export function holdsParsed(job: FileJob): boolean {
  const key = keptKey(job);
  return key !== undefined && parsedForFacts.has(key);
}

/** Deletes the trees and texts the facts pass kept and no analysis took (another thread's, or a scan that failed). */
export function dropParsed(): void {
  for (const parsed of parsedForFacts.values()) parsed.tree.delete();
  parsedForFacts.clear();
  keptBytes = 0;
  readForFacts.clear();
  keptChars = 0;
}
