// A capture on disk, ready to attach to the incident ticket: one file per moment (named by its time), capture.json
// (what was captured, how, what is missing), and the analysis as analysis.json and analysis.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDump, reportToMarkdown, type DumpReport } from '../dump/index';
import type { CaptureResult } from './capture';

/** Where captures go inside a project: the scan and the editor's searches skip this folder. */
export const CAPTURES_FOLDER = join('.closewait', 'captures');

/** The dump core's analysis of the captured files, each file one input (so evidence names its file and line). */
export function analyzeCapture(result: CaptureResult): DumpReport {
  return analyzeDump(result.files.map((f) => ({ name: f.name, text: f.text })));
}

/** `20260501-100005-SelfCallTomcat-4711`: when, what and which pid, safe as a folder name everywhere. */
export function captureFolderName(result: CaptureResult): string {
  const stamp = result.record.started.slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const name = result.record.target.name.replace(/[^\w.-]+/g, '_').slice(0, 40);
  return `${stamp}-${name}-${result.record.target.pid}`;
}

/** Writes the capture into `dir` (created); returns the paths written. */
export function writeCapture(result: CaptureResult, report: DumpReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    const path = join(dir, name);
    writeFileSync(path, text);
    written.push(path);
  };
  for (const file of result.files) write(file.name, file.text);
  write('capture.json', `${JSON.stringify(result.record, null, 2)}\n`);
  write('analysis.json', `${JSON.stringify(report, null, 2)}\n`);
  write('analysis.md', reportToMarkdown(report));
  return written;
}
