// Which workspace file a stack frame points at: `net.daum.crystal.core.execute.SearchManager.search(SearchManager.java:104)`
// is SearchManager.java, best in a folder ending with net/daum/crystal/core/execute. Pure (no vscode): the host
// lists the files, this ranks them, and the tests call it with plain path lists.

export interface FrameLocation {
  class: string;
  method?: string;
  file: string | null;
  line: number | null;
}

export interface FrameCandidate {
  /** The path as listed, separators normalised to `/`. */
  path: string;
  /** How many package segments, from the innermost, the file's folders match. */
  packageMatch: number;
  /** The folders end with the whole package path. */
  exactPackage: boolean;
  /** Under a build or dependency folder (build/, target/, node_modules/ ...): usually a copy. */
  generated: boolean;
  /** Under a test folder: production stacks rarely run test code. */
  test: boolean;
  /** The file name matches only when case is ignored. */
  caseMismatch: boolean;
}

export type FrameTarget =
  | { kind: 'open'; candidate: FrameCandidate; line: number | null }
  | { kind: 'choose'; candidates: FrameCandidate[]; line: number | null }
  | { kind: 'none'; fileName: string | null; packageName: string };

const GENERATED_FOLDERS = new Set(['build', 'target', 'out', 'bin', 'dist', 'node_modules', 'generated', '.gradle', '.idea', '.metadata']);
const TEST_FOLDERS = new Set(['test', 'tests', 'it', 'integrationTest', 'testFixtures']);

/** OpenJ9 prints `java/nio/Foo`, jcmd JSON `java.base/java.nio.Foo`; a nested class is in its outer class's file. */
export function normalizeClassName(className: string): string {
  const withoutModule = className.replace(/^[A-Za-z_][\w.]*(?:@[\w.+-]*)?\/\/?(?=[A-Za-z_$][\w$]*\.)/, '');
  return withoutModule.includes('.') ? withoutModule : withoutModule.replace(/\//g, '.');
}

export function packageSegments(className: string): string[] {
  const parts = normalizeClassName(className).split('.');
  return parts.slice(0, -1).filter((p) => p !== '');
}

/**
 * The source file a frame names (`SearchManager.java`), or for `Unknown Source` frames the file a Java class
 * would live in: its outer class name plus `.java`.
 */
export function sourceFileName(frame: FrameLocation): string | null {
  if (frame.file !== null && frame.file !== '' && !/[\\/]/.test(frame.file)) return frame.file;
  const simple = normalizeClassName(frame.class).split('.').pop() ?? '';
  const outer = simple.split('$')[0];
  return /^[A-Za-z_][\w]*$/.test(outer) ? `${outer}.java` : null;
}

/** Every listed file with the frame's file name, best first. */
export function rankFrameCandidates(frame: FrameLocation, workspaceFiles: readonly string[]): FrameCandidate[] {
  const fileName = sourceFileName(frame);
  if (fileName === null) return [];
  const lowerName = fileName.toLowerCase();
  const pkg = packageSegments(frame.class);
  const candidates: FrameCandidate[] = [];
  for (const listed of workspaceFiles) {
    const path = listed.replace(/\\/g, '/');
    const segments = path.split('/').filter((s) => s !== '');
    const base = segments.pop();
    if (base === undefined || base.toLowerCase() !== lowerName) continue;
    const packageMatch = trailingMatch(segments, pkg);
    candidates.push({
      path,
      packageMatch,
      exactPackage: packageMatch === pkg.length,
      generated: segments.some((s) => GENERATED_FOLDERS.has(s)),
      test: segments.some((s) => TEST_FOLDERS.has(s)),
      caseMismatch: base !== fileName,
    });
  }
  return candidates.sort((a, b) => compareCandidates(a, b) || a.path.length - b.path.length || a.path.localeCompare(b.path));
}

/**
 * What the host should do: open the one best file, let the user choose among equally good ones, or say that the
 * workspace does not hold the file (a library class, another repository).
 */
export function chooseFrameTarget(frame: FrameLocation, workspaceFiles: readonly string[]): FrameTarget {
  const candidates = rankFrameCandidates(frame, workspaceFiles);
  if (candidates.length === 0) return { kind: 'none', fileName: sourceFileName(frame), packageName: packageSegments(frame.class).join('.') };
  if (candidates.length === 1 || compareCandidates(candidates[0], candidates[1]) < 0) return { kind: 'open', candidate: candidates[0], line: frame.line };
  return { kind: 'choose', candidates, line: frame.line };
}

/** Negative when a is the better candidate; 0 when nothing but the path tells them apart. */
function compareCandidates(a: FrameCandidate, b: FrameCandidate): number {
  return (
    Number(b.exactPackage) - Number(a.exactPackage) ||
    b.packageMatch - a.packageMatch ||
    Number(a.caseMismatch) - Number(b.caseMismatch) ||
    Number(a.generated) - Number(b.generated) ||
    Number(a.test) - Number(b.test)
  );
}

function trailingMatch(folders: readonly string[], pkg: readonly string[]): number {
  let n = 0;
  while (n < pkg.length && n < folders.length && folders[folders.length - 1 - n] === pkg[pkg.length - 1 - n]) n++;
  return n;
}

/** The glob the host searches with: the file name anywhere (the name holds no glob syntax: see isSourceFileName). */
export function frameSearchGlob(frame: FrameLocation): string | null {
  const name = sourceFileName(frame);
  return name === null || /[*?{}[\]!]/.test(name) ? null : `**/${name}`;
}
