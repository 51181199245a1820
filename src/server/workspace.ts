// The workspace as the server sees it: folders, the mapping between URIs and the workspace-relative paths that
// findings use, and the facts (ports, base URLs, properties) gathered from its files.
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { combineFacts, factsOfFile, isConfigFile, type FileFacts, type WorkspaceFacts } from '../analysis/facts';
import { readText, type FsPath } from '../files/read-source';
import { pathText, walk } from '../files/walk';
import { BACKGROUND_CHARS } from './background';

/**
 * The local path of a `file:` URI; undefined for other schemes and for file URIs that name no local path here
 * (`file://host/share/...`, an encoded `/`, broken escapes), for which `fileURLToPath` throws.
 */
export function localPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** A source file of the workspace big enough to be analysed in the background once opened. */
export interface BigSource {
  readonly file: FsPath;
  /** Workspace-relative, as findings name it. */
  readonly path: string;
  readonly chars: number;
}

export class Workspace {
  private readonly perFile = new Map<string, FileFacts>();
  private combined: WorkspaceFacts = combineFacts([]);
  private extraHosts: readonly string[] = [];
  /** Bumped whenever the combined facts change: part of every analysis cache key. */
  version = 0;
  /** The source files longer than BACKGROUND_CHARS the last build read, the longest first. */
  bigSources: BigSource[] = [];

  constructor(readonly roots: readonly string[]) {}

  get facts(): WorkspaceFacts {
    return this.combined;
  }

  /** Workspace-relative path with forward slashes (absolute when outside every folder). */
  relative(path: FsPath): string {
    const absolute = pathText(path);
    for (const root of this.roots) {
      const rel = relative(root, absolute);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
    }
    return absolute.split(sep).join('/');
  }

  absolute(path: string): string {
    return isAbsolute(path) || this.roots.length === 0 ? path : join(this.roots[0], path);
  }

  pathOfUri(uri: string): string | undefined {
    const absolute = localPath(uri);
    return absolute === undefined ? undefined : this.relative(absolute);
  }

  uriOf(path: string): string {
    return pathToFileURL(this.absolute(path)).href;
  }

  /** The URI of a file found on disk; a name that is not valid UTF-8 keeps its bytes, percent-encoded. */
  static uriOfFile(absolute: FsPath): string {
    if (typeof absolute === 'string') return pathToFileURL(absolute).href;
    const encoded = Array.from(absolute, (b) => (b === 0x2f ? '/' : b < 0x80 ? encodeURIComponent(String.fromCharCode(b)) : `%${b.toString(16).toUpperCase()}`));
    return `file://${encoded.join('')}`;
  }

  /** Source and configuration files of every folder, as a scan would walk them. */
  files(exclude: readonly string[]): { sources: FsPath[]; configFiles: FsPath[] } {
    const sources: FsPath[] = [];
    const configFiles: FsPath[] = [];
    for (const root of this.roots) {
      try {
        const result = walk(['.'], { cwd: root, exclude });
        sources.push(...result.files);
        configFiles.push(...result.configFiles);
      } catch {
        // A folder that vanished or cannot be read contributes nothing.
      }
    }
    return { sources, configFiles };
  }

  /**
   * Gathers the facts of every file, yielding to the event loop now and then so the server keeps answering.
   * Returns true when the combined facts changed.
   */
  async build(exclude: readonly string[], report: (done: number, total: number) => void, cancelled: () => boolean): Promise<boolean> {
    const { sources, configFiles } = this.files(exclude);
    const all = [...configFiles, ...sources];
    this.perFile.clear();
    this.bigSources = [];
    for (let i = 0; i < all.length; i++) {
      if (cancelled()) break;
      const absolute = all[i];
      try {
        const text = readText(absolute);
        const path = this.relative(absolute);
        if (text !== undefined && i >= configFiles.length && text.length > BACKGROUND_CHARS) this.bigSources.push({ file: absolute, path, chars: text.length });
        const facts = text === undefined ? undefined : factsOfFile({ path, text });
        if (facts) this.perFile.set(facts.file, facts);
      } catch {
        // Unreadable files have no facts.
      }
      if (i % 50 === 49) {
        report(i + 1, all.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    report(all.length, all.length);
    this.bigSources.sort((a, b) => b.chars - a.chars);
    return this.recombine();
  }

  setExtraHosts(hosts: readonly string[]): boolean {
    if (JSON.stringify(hosts) === JSON.stringify(this.extraHosts)) return false;
    this.extraHosts = hosts;
    return this.recombine();
  }

  /**
   * Re-reads one file's facts (from `text`, or from disk when undefined; `null` when the file is gone).
   * Returns true when the workspace facts changed.
   */
  updateFile(absolute: FsPath, text?: string | null): boolean {
    const path = this.relative(absolute);
    let facts: FileFacts | undefined;
    if (text !== null) {
      try {
        const content = text ?? readText(absolute);
        facts = content === undefined ? undefined : factsOfFile({ path, text: content });
      } catch {
        facts = undefined;
      }
    }
    const before = JSON.stringify(this.perFile.get(path) ?? null);
    if (facts) this.perFile.set(path, facts);
    else this.perFile.delete(path);
    if (before === JSON.stringify(facts ?? null)) return false;
    return this.recombine();
  }

  private recombine(): boolean {
    const next = combineFacts(this.perFile.values(), this.extraHosts);
    if (JSON.stringify(next) === JSON.stringify(this.combined)) return false;
    this.combined = next;
    this.version++;
    return true;
  }

  /** True for files whose content can change the workspace facts. */
  static isFactSource(path: string): boolean {
    return isConfigFile(path) || /\.(java|[cm]?[jt]sx?)$/.test(path);
  }
}
