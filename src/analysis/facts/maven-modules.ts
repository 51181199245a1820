// Maven modules outside the build: a folder with a pom.xml that no aggregating pom names in its <modules> (one moved
// aside, onemall's moved/), and every module inside one. No `mvn package` compiles or ships their code, so a leak
// there is not one a maintainer fixes: strict only. A module commented out of <modules> counts as named: projects
// ship optional modules so (yudao-cloud's AI module, enabled by uncommenting it), as well as experiments (arthas'
// labs/), and the pom cannot tell them apart. Judged only below an aggregator: a pom with no aggregating pom above
// it is a build of its own.

/** A pom.xml as the workspace facts hold it: its project folder and the modules it lists (profiles' too). */
export interface MavenPom {
  readonly project: string;
  readonly modules: readonly string[];
}

/** The `<module>` entries of a pom.xml, those commented out included (see the header). */
export function pomModules(text: string): string[] {
  return [...text.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((m) => m[1]);
}

/** The project folders of the poms no built aggregator lists, sorted. */
export function unbuiltMavenModules(poms: readonly MavenPom[]): string[] {
  const dirs = new Set(poms.map((p) => p.project));
  const listers = new Map<string, string[]>();
  for (const pom of poms) {
    for (const module of pom.modules) {
      const dir = join(pom.project, module.replace(/\/pom\.xml$/, ''));
      if (dir !== undefined) listers.set(dir, [...(listers.get(dir) ?? []), pom.project]);
    }
  }
  const aggregators = new Set(poms.filter((p) => p.modules.length > 0).map((p) => p.project));
  const known = new Map<string, boolean>();
  const unbuilt = (dir: string, depth: number): boolean => {
    const cached = known.get(dir);
    if (cached !== undefined) return cached;
    const by = listers.get(dir);
    // A cycle of poms listing each other (or a very deep chain) is taken for built.
    const result = by ? depth < 32 && by.every((parent) => parent !== dir && unbuilt(parent, depth + 1)) : underAggregator(dir, aggregators);
    known.set(dir, result);
    return result;
  };
  return [...dirs].filter((dir) => unbuilt(dir, 0)).sort();
}

/** True when a folder above `dir` holds an aggregating pom. */
function underAggregator(dir: string, aggregators: ReadonlySet<string>): boolean {
  for (let parent = parentOf(dir); parent !== undefined; parent = parentOf(parent)) if (aggregators.has(parent)) return true;
  return false;
}

function parentOf(dir: string): string | undefined {
  if (dir === '') return undefined;
  const slash = dir.lastIndexOf('/');
  return slash < 0 ? '' : dir.slice(0, slash);
}

/** `base` joined with a relative module path (`../x`, `./y/`); undefined when it climbs above the workspace. */
function join(base: string, path: string): string | undefined {
  const parts = base === '' ? [] : base.split('/');
  for (const part of path.split('/')) {
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
