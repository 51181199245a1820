// Finds the files a scan should read: source files under the given paths, minus build output, dependencies,
// .gitignore'd and --exclude'd paths. Anything that cannot be read is reported as skipped, never fatal.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isConfigFile } from '../analysis/facts';
import { languageForPath } from '../analysis/parse/grammars';
import { vendoredFolderReason } from '../analysis/scope/generated';
import { GitIgnore } from './gitignore';
import { NOT_A_REGULAR_FILE } from './read-source';
import { globToRegExp, matchesExclude } from './glob';

/** Folders that hold dependencies, build output or CloseWait's own captures (.closewait), never hand-written sources. */
export const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'build', 'dist', 'target', 'out', '.hg', '.svn', '.closewait']);

export interface Skip {
  readonly file: string;
  readonly reason: string;
}

export interface WalkResult {
  /** Absolute paths of the files to analyse, in a stable order. */
  readonly files: string[];
  /** Absolute paths of configuration files that say where the workspace's servers listen. */
  readonly configFiles: string[];
  readonly skipped: Skip[];
}

export interface WalkOptions {
  readonly cwd: string;
  readonly exclude: readonly string[];
}

/** Forward-slash path relative to `cwd`, as findings report files. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

export function walk(roots: readonly string[], options: WalkOptions): WalkResult {
  const files: string[] = [];
  const configFiles: string[] = [];
  const skipped: Skip[] = [];
  const excludes = options.exclude.map(globToRegExp);
  const visitedDirectories = new Set<string>();
  const seenFiles = new Set<string>();

  const skip = (absolute: string, reason: string) => skipped.push({ file: displayPath(options.cwd, absolute), reason });
  const excluded = (absolute: string) =>
    excludes.length > 0 && matchesExclude(displayPath(options.cwd, absolute), excludes, options.exclude);

  function addFile(absolute: string, explicit: boolean): void {
    if (isConfigFile(absolute)) {
      if (!excluded(absolute)) configFiles.push(absolute);
      return;
    }
    if (!languageForPath(absolute)) {
      if (explicit) skip(absolute, 'not a Java, TypeScript or JavaScript file');
      return;
    }
    if (excluded(absolute)) return;
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch (error) {
      skip(absolute, errorReason(error));
      return;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(absolute);
  }

  function visitDirectory(directory: string, root: string, ignore: GitIgnore): void {
    let real: string;
    try {
      real = realpathSync(directory);
    } catch (error) {
      skip(directory, errorReason(error));
      return;
    }
    if (visitedDirectories.has(real)) {
      if (directory !== real) skip(directory, 'symbolic link loop (directory already scanned)');
      return;
    }
    visitedDirectories.add(real);

    let entries: string[];
    try {
      entries = readdirSync(directory).sort();
    } catch (error) {
      skip(directory, errorReason(error));
      return;
    }
    const relativeDir = displayPath(root, directory);
    const base = relativeDir === '.' ? '' : relativeDir;
    if (entries.includes('.gitignore')) {
      try {
        ignore.add(base, readFileSync(join(directory, '.gitignore'), 'utf8'));
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    for (const name of entries) {
      const path = join(directory, name);
      const relativePath = base ? `${base}/${name}` : name;
      let stats: Stats;
      try {
        stats = lstatSync(path);
        if (stats.isSymbolicLink()) stats = statSync(path);
      } catch (error) {
        skip(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'broken symbolic link' : errorReason(error));
        continue;
      }
      if (stats.isDirectory()) {
        if (SKIPPED_FOLDERS.has(name) || ignore.ignores(relativePath, true) || excluded(path)) continue;
        const vendored = vendoredFolderReason(relativePath);
        if (vendored) {
          // Listed once for the folder, and only when it holds sources: a folder of images is no news.
          if (holdsSources(path)) skip(path, vendored);
          continue;
        }
        visitDirectory(path, root, ignore);
      } else if (stats.isFile()) {
        // .env files are usually git-ignored, yet they are where a local PORT is set.
        if (ignore.ignores(relativePath, false) && !name.startsWith('.env')) continue;
        addFile(path, false);
      } else if (languageForPath(name) && !ignore.ignores(relativePath, false) && !excluded(path)) {
        // Named like a source but a FIFO, socket or device: never opened (a FIFO would block), but listed.
        skip(path, NOT_A_REGULAR_FILE);
      }
    }
  }

  for (const root of roots) {
    const absolute = resolve(options.cwd, root);
    let stats: Stats;
    try {
      stats = statSync(absolute);
    } catch (error) {
      throw new UnreadablePath(root, errorReason(error));
    }
    if (stats.isDirectory()) visitDirectory(absolute, absolute, new GitIgnore());
    else addFile(absolute, true);
  }
  return { files, configFiles, skipped };
}

/** True when a source file lies somewhere below `directory` (looking at a bounded number of entries). */
function holdsSources(directory: string): boolean {
  const pending = [directory];
  for (let budget = 2_000; pending.length > 0 && budget > 0; ) {
    let entries;
    try {
      entries = readdirSync(pending.pop()!, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (--budget <= 0) break;
      if (entry.isDirectory()) pending.push(join(entry.parentPath, entry.name));
      else if (languageForPath(entry.name)) return true;
    }
  }
  return false;
}

/** A path named on the command line that cannot be read: a usage error (exit 2), not a skip. */
export class UnreadablePath extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
  }
}
