// The little of git that review mode needs, run as a child process: where the repository is, and what changed.
import { spawnSync } from 'node:child_process';
import { posix } from 'node:path';

/** Review mode cannot do what was asked (no repository, unknown ref, unreadable baseline): a usage error, exit 2. */
export class ReviewError extends Error {}

export interface Repository {
  /** Absolute path of the work tree's top level, as git prints it. */
  readonly root: string;
  /** The current directory relative to `root`: '' at the top, 'services/api/' below it. */
  readonly prefix: string;
}

/** Runs git and returns its stdout; a non-zero exit becomes a ReviewError carrying git's own first line of complaint. */
export function git(args: readonly string[], cwd: string): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, windowsHide: true });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new ReviewError(code === 'ENOENT' ? 'git is not installed or not on PATH' : `git ${args[0]}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const complaint = result.stderr.split('\n').find((line) => line.trim() !== '') ?? `exit code ${result.status}`;
    throw new ReviewError(complaint.replace(/^(fatal|error): /, ''));
  }
  return result.stdout;
}

/** The repository around `cwd`, or a ReviewError that says we are not in one. */
export function repositoryAt(cwd: string): Repository {
  let output: string;
  try {
    output = git(['rev-parse', '--show-toplevel', '--show-prefix'], cwd);
  } catch (error) {
    if (error instanceof ReviewError && /not a git repository/i.test(error.message)) {
      throw new ReviewError(`${cwd} is not inside a git repository`);
    }
    throw error;
  }
  const [root = '', prefix = ''] = output.split('\n');
  return { root, prefix };
}

/** Same as `repositoryAt`, but undefined outside a repository (or without git): for output that merely prefers repository paths. */
export function repositoryIfAny(cwd: string): Repository | undefined {
  try {
    return repositoryAt(cwd);
  } catch (error) {
    if (error instanceof ReviewError) return undefined;
    throw error;
  }
}

/**
 * A path as findings print it (relative to the current directory) as git prints it (relative to the repository
 * root); undefined when it lies outside the repository.
 */
export function toRepositoryPath(repository: Repository, file: string): string | undefined {
  const path = posix.normalize(`${repository.prefix}${file}`);
  return path === '..' || path.startsWith('../') || posix.isAbsolute(path) ? undefined : path;
}
