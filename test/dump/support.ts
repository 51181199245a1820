// Paths and readers shared by the dump tests. Inputs are read as bytes and decoded by the library, as the CLI and
// the panel do.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { analyzeDump, decodeDumpBytes, type AnalyzeOptions, type DumpReport } from '../../src/dump/index';

export const repoRoot = resolve(__dirname, '..', '..');
export const sharedRoot = resolve(repoRoot, '..', 'shared');
export const corpusRoot = join(sharedRoot, 'corpus');
export const incidentRoot = join(sharedRoot, 'incidents', 'tomcat-self-call');
export const fixtureRoot = join(repoRoot, 'test', 'fixtures', 'dumps');

export function readInput(path: string): string {
  return decodeDumpBytes(new Uint8Array(readFileSync(path)));
}

export function analyzeFiles(paths: readonly string[], options?: AnalyzeOptions): DumpReport {
  return analyzeDump(
    paths.map((path) => ({ name: basename(path), text: readInput(path) })),
    options,
  );
}

/** Every file of a fixture directory, as one analysis (a dump and a listing pasted side by side). */
export function analyzeDirectory(dir: string): DumpReport {
  return analyzeFiles(readdirSync(dir).sort().map((f) => join(dir, f)));
}

export function corpus(path: string): string {
  return join(corpusRoot, path);
}

export function fixture(path: string): string {
  return join(fixtureRoot, path);
}
