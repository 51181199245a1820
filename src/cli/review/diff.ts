// Which lines a change touched: `git diff --unified=0 <merge-base>` (commits, staged and unstaged edits alike) plus
// untracked files, which are new from their first line to their last.
import type { Finding } from '../../analysis/finding';
import { git, ReviewError, repositoryAt, toRepositoryPath, type Repository } from './git';

interface FileChanges {
  /** Inclusive [first, last] line ranges of the new file that were added or changed. */
  readonly lines: [number, number][];
  /** Lines of the new file after which old lines were deleted. */
  readonly deletedAfter: number[];
  /** An untracked (or otherwise entirely new) file: every line is new. */
  whole: boolean;
}

/** The lines a change touched, keyed by repository-relative path. */
export class ChangedLines {
  private readonly files = new Map<string, FileChanges>();

  private entry(path: string): FileChanges {
    let changes = this.files.get(path);
    if (!changes) {
      changes = { lines: [], deletedAfter: [], whole: false };
      this.files.set(path, changes);
    }
    return changes;
  }

  addLines(path: string, first: number, last: number): void {
    this.entry(path).lines.push([first, last]);
  }

  addDeletion(path: string, after: number): void {
    this.entry(path).deletedAfter.push(after);
  }

  addWholeFile(path: string): void {
    this.entry(path).whole = true;
  }

  /** Whether lines first..last of `path` include a changed line, or straddle a deletion. */
  touches(path: string, first: number, last: number): boolean {
    const changes = this.files.get(path);
    if (!changes) return false;
    if (changes.whole) return true;
    // A deletion between two lines of a multi-line expression changed that expression too.
    return changes.lines.some(([a, b]) => a <= last && b >= first) || changes.deletedAfter.some((d) => first <= d && d < last);
  }

  get size(): number {
    return this.files.size;
  }
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Reads `git diff --unified=0` output. Content lines are skipped by the counts in each hunk header, so an added
 * line that happens to read `+++ x` or `@@ ...` is never taken for a header.
 */
export function parseUnifiedDiff(diff: string, into: ChangedLines = new ChangedLines()): ChangedLines {
  let file: string | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('-') && oldLeft > 0) {
        oldLeft--;
        continue;
      }
      if (line.startsWith('+') && newLeft > 0) {
        newLeft--;
        continue;
      }
      if (!line.startsWith('\\')) oldLeft = newLeft = 0; // a hunk shorter than announced: read on as headers
    }
    if (line.startsWith('\\')) continue; // "\ No newline at end of file"
    if (line.startsWith('diff --git ')) {
      file = undefined;
    } else if (line.startsWith('+++ ')) {
      // git ends a name that contains a space with a tab.
      const target = unquote(line.slice(4).replace(/\t$/, ''));
      file = target.startsWith('b/') ? target.slice(2) : undefined; // '/dev/null': the file was deleted
    } else if (file !== undefined) {
      const hunk = HUNK.exec(line);
      if (!hunk) continue;
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      const start = Number(hunk[2]);
      newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
      if (newLeft > 0) into.addLines(file, start, start + newLeft - 1);
      else into.addDeletion(file, start);
    }
  }
  return into;
}

/** git quotes paths with unusual characters C-style ("b/a\"b\303\244.java"); octal escapes are UTF-8 bytes. */
export function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      // Whole code points: a character outside the BMP is two UTF-16 units, neither of which is UTF-8 on its own.
      const point = String.fromCodePoint(body.codePointAt(i) ?? 0);
      bytes.push(...Buffer.from(point, 'utf8'));
      i += point.length - 1;
      continue;
    }
    const next = body[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface DiffBase {
  readonly repository: Repository;
  /** The commit the change is compared with: the merge base of HEAD and the ref ('' before the first commit). */
  readonly mergeBase: string;
  readonly changes: ChangedLines;
}

/** What changed between the merge base of `ref` and HEAD, including uncommitted and untracked files in the work tree. */
export function changesSince(ref: string, cwd: string): DiffBase {
  const repository = repositoryAt(cwd);
  if (ref.startsWith('-')) throw new ReviewError(`'${ref}' is not a git ref`);
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repository.root).trim();
  } catch {
    // A repository without a commit yet (a pre-commit hook on the first commit): everything in it is new.
    if (ref === 'HEAD' && !hasCommits(repository)) return { repository, mergeBase: '', changes: allFilesNew(repository) };
    throw new ReviewError(unknownRef(ref, repository));
  }
  let mergeBase: string;
  try {
    mergeBase = git(['merge-base', commit, 'HEAD'], repository.root).trim();
  } catch {
    mergeBase = '';
  }
  if (!mergeBase) {
    throw new ReviewError(
      `HEAD and '${ref}' have no common history (in a shallow clone, fetch more: actions/checkout with fetch-depth: 0)`,
    );
  }
  // Run at the top level with explicit prefixes so user configuration (diff.relative, diff.noprefix, external
  // diff tools, colour) cannot change what we parse; a renamed file is compared with its old self, not all new.
  const diff = git(
    [
      '-c',
      'core.quotePath=false',
      'diff',
      '--unified=0',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--find-renames',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      mergeBase,
      '--',
    ],
    repository.root,
  );
  const changes = parseUnifiedDiff(diff);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z'], repository.root);
  for (const path of untracked.split('\0')) if (path) changes.addWholeFile(path);
  return { repository, mergeBase, changes };
}

function hasCommits(repository: Repository): boolean {
  try {
    git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], repository.root);
    return true;
  } catch {
    return false;
  }
}

/** Every file git tracks (staged) or would (untracked, not ignored), as wholly new. */
function allFilesNew(repository: Repository): ChangedLines {
  const changes = new ChangedLines();
  const files = git(['ls-files', '--cached', '--others', '--exclude-standard', '-z'], repository.root);
  for (const path of files.split('\0')) if (path) changes.addWholeFile(path);
  return changes;
}

/** Why a ref is unknown and what to do: fetch it when it names a remote's branch, else pick one that exists. */
function unknownRef(ref: string, repository: Repository): string {
  let remotes: string[] = [];
  try {
    remotes = git(['remote'], repository.root).split('\n').filter(Boolean);
  } catch {
    // No remotes to suggest.
  }
  const remote = remotes.find((r) => ref.startsWith(`${r}/`) || ref.startsWith(`refs/remotes/${r}/`));
  if (remote !== undefined) {
    const branch = ref.slice(ref.indexOf(`${remote}/`) + remote.length + 1);
    return `unknown git ref '${ref}': fetch it first (git fetch ${remote} ${branch}; in a shallow CI clone, actions/checkout with fetch-depth: 0)`;
  }
  return `unknown git ref '${ref}': no branch, tag or commit has that name here (git branch -a and git log --oneline list valid ones)`;
}

/** Last line a finding really covers: a range that ends at column 1 stops at the end of the line before. */
function lastLine(f: Finding): number {
  return f.endLine > f.line && f.endColumn === 1 ? f.endLine - 1 : f.endLine;
}

/**
 * A finding is new when the change touched its range, or touched a location it depends on (`related`: for
 * self-call, the declaration of the port it calls).
 */
export function isTouched(f: Finding, base: DiffBase): boolean {
  const touched = (file: string, first: number, last: number) => {
    const path = toRepositoryPath(base.repository, file);
    return path !== undefined && base.changes.touches(path, first, last);
  };
  return touched(f.file, f.line, lastLine(f)) || (f.related ?? []).some((r) => touched(r.file, r.line, r.line));
}
