// Finds the files a scan should read: source files under the given paths, minus build output, dependencies,
// .gitignore'd and --exclude'd paths. Anything that cannot be read is reported as skipped, never fatal.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isConfigFile } from '../analysis/facts';
import { languageForPath } from '../analysis/parse/grammars';
import { vendoredFolderReason } from '../analysis/scope/generated';
import { GitIgnore } from './gitignore';
import { errnoReason, NOT_A_REGULAR_FILE, readText, type FsPath } from './read-source';
import { globToRegExp, matchesExclude } from './glob';

/** Folders that hold dependencies, build output or CloseWait's own captures (.closewait), never hand-written sources. */
export const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'build', 'dist', 'target', 'out', '.hg', '.svn', '.closewait']);

export interface Skip {
  readonly file: string;
  readonly reason: string;
}

export interface WalkResult {
  /** Absolute paths of the files to analyse, in a stable order (raw bytes where a name is not valid UTF-8). */
  readonly files: FsPath[];
  /** Absolute paths of configuration files that say where the workspace's servers listen. */
  readonly configFiles: FsPath[];
  readonly skipped: Skip[];
}

export interface WalkOptions {
  readonly cwd: string;
  readonly exclude: readonly string[];
}

const lossy = new TextDecoder('utf-8');

/** A path as text: raw bytes that are not valid UTF-8 show as U+FFFD, as a terminal or editor would show them. */
export function pathText(path: FsPath): string {
  return typeof path === 'string' ? path : lossy.decode(path);
}

/** Forward-slash path relative to `cwd`, as findings report files. */
export function displayPath(cwd: string, absolute: FsPath): string {
  const rel = relative(cwd, pathText(absolute));
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/**
 * `directory`/`name` for the file system: a string while every name in it is valid UTF-8, else the raw bytes (a
 * string would name another file, or none: "broken symbolic link").
 */
function childPath(directory: string | Buffer, name: Buffer): string | Buffer {
  const text = name.toString('utf8');
  if (typeof directory === 'string' && Buffer.from(text, 'utf8').equals(name)) return join(directory, text);
  return Buffer.concat([bytesOf(directory), Buffer.from(sep), name]);
}

function bytesOf(path: FsPath): Buffer {
  return typeof path === 'string' ? Buffer.from(path, 'utf8') : Buffer.from(path.buffer, path.byteOffset, path.byteLength);
}

/** A path's bytes as a string key: paths tell apart byte for byte. */
function keyOf(path: FsPath): string {
  return bytesOf(path).toString('latin1');
}

/** The real path's key. (The native realpath: the JavaScript one turns raw bytes into a string on the way.) */
function realKey(path: FsPath): string {
  return keyOf(realpathSync.native(typeof path === 'string' ? path : bytesOf(path), { encoding: 'buffer' }));
}

export function walk(roots: readonly string[], options: WalkOptions): WalkResult {
  const files: FsPath[] = [];
  const configFiles: FsPath[] = [];
  const skipped: Skip[] = [];
  const excludes = options.exclude.map(globToRegExp);
  const visitedDirectories = new Set<string>();
  const seenFiles = new Set<string>();

  const skip = (absolute: FsPath, reason: string) => skipped.push({ file: displayPath(options.cwd, absolute), reason });
  const excluded = (absolute: FsPath) =>
    excludes.length > 0 && matchesExclude(displayPath(options.cwd, absolute), excludes, options.exclude);

  function addFile(absolute: FsPath, explicit: boolean): void {
    const name = pathText(absolute);
    if (isConfigFile(name)) {
      if (!excluded(absolute)) configFiles.push(absolute);
      return;
    }
    if (!languageForPath(name)) {
      if (explicit) skip(absolute, 'not a Java, TypeScript or JavaScript file');
      return;
    }
    if (excluded(absolute)) return;
    let real: string;
    try {
      real = realKey(absolute);
    } catch (error) {
      skip(absolute, errnoReason(error));
      return;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(absolute);
  }

  function visitDirectory(directory: string | Buffer, root: string, ignore: GitIgnore): void {
    let real: string;
    try {
      real = realKey(directory);
    } catch (error) {
      skip(directory, errnoReason(error));
      return;
    }
    if (visitedDirectories.has(real)) {
      if (keyOf(directory) !== real) skip(directory, 'symbolic link loop (directory already scanned)');
      return;
    }
    visitedDirectories.add(real);

    let entries: { name: string; raw: Buffer }[];
    try {
      entries = readdirSync(directory, { encoding: 'buffer' })
        .map((raw) => ({ name: raw.toString('utf8'), raw }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Buffer.compare(a.raw, b.raw)));
    } catch (error) {
      skip(directory, errnoReason(error));
      return;
    }
    const relativeDir = displayPath(root, directory);
    const base = relativeDir === '.' ? '' : relativeDir;
    if (entries.some((e) => e.name === '.gitignore')) {
      // Read like any file of the tree: bounded, never blocking. An unreadable .gitignore ignores nothing.
      const text = readText(childPath(directory, Buffer.from('.gitignore')));
      if (text !== undefined) ignore.add(base, text);
    }
    for (const { name, raw } of entries) {
      const path = childPath(directory, raw);
      const relativePath = base ? `${base}/${name}` : name;
      let stats: Stats;
      try {
        stats = lstatSync(path);
        if (stats.isSymbolicLink()) stats = statSync(path);
      } catch (error) {
        skip(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'broken symbolic link' : errnoReason(error));
        continue;
      }
      if (stats.isDirectory()) {
        if (SKIPPED_FOLDERS.has(name) || ignore.ignores(relativePath, true) || excluded(path)) continue;
        const vendored = vendoredFolderReason(relativePath, () => holdsTypeScript(path));
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
      throw new UnreadablePath(root, errnoReason(error));
    }
    if (stats.isDirectory()) visitDirectory(absolute, absolute, new GitIgnore());
    else addFile(absolute, true);
  }
  return { files, configFiles, skipped };
}

/** True when a source file lies somewhere below `directory` (looking at a bounded number of entries). */
function holdsSources(directory: string | Buffer): boolean {
  return holds(directory, (name) => languageForPath(name) !== undefined);
}

/** True when a TypeScript source (not a declaration file) lies below `directory`. */
function holdsTypeScript(directory: string | Buffer): boolean {
  return holds(directory, (name) => /\.[cm]?tsx?$/.test(name) && !/\.d\.[cm]?ts$/.test(name));
}

function holds(directory: string | Buffer, wanted: (name: string) => boolean): boolean {
  const pending = [directory];
  for (let budget = 2_000; pending.length > 0 && budget > 0; ) {
    const folder = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (--budget <= 0) break;
      if (entry.isDirectory()) pending.push(childPath(folder, entry.name));
      else if (wanted(entry.name.toString('utf8'))) return true;
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
