// Which JavaScript/TypeScript modules only browser code imports. A Next.js package is a server package as a whole
// (it has route handlers), so a helper module that names no framework and touches no DOM looks like server code by
// itself: NextChat's WebDAV sync client, growthbook's LaunchDarkly importer, umami's fetch wrapper, each imported
// only by components of the page. Read off each module's text (no parse): what it imports (relative paths and the
// `@/` or `~/` aliases of the project root or its `src/`), whether it is surely client code (scope/browser-code.ts:
// a client component, the DOM...) and whether it is surely server code (a Node import, a route handler, 'use
// server'). A module neither surely client nor surely server whose importers are all browser code is browser code,
// along chains and cycles of helpers (a store and the sync client that import each other). A module nothing imports
// (an entry point) stays as it was; tests importing a module say nothing about where it runs, only that it may be a
// test helper: one only tests import is one (testOnlyModules), unless it is an entry point.
import { importsNodeModule, leadingDirective, surelyClient } from '../scope/browser-code';
import { isDevelopmentPath, isTestSource, isTestSuitePath, testCodeReason } from '../scope/test-code';
import type { SubpathImports } from './workspace';

/** What one JavaScript/TypeScript module imports and what it surely is. */
export interface JsModule {
  readonly file: string;
  /** Import specifiers that name a module of the workspace: relative (`./x`, `../x`) or an alias (`@/x`, `~/x`). */
  readonly imports: readonly string[];
  /** Surely client code that imports workspace modules (scope/browser-code.ts surelyClient). */
  readonly client: boolean;
  readonly server: boolean;
  /**
   * Starts itself when run (`require.main === module`, a `#!` line) or names script files in strings (`fork(path.
   * join(__dirname, 'daemon.js'))`): the stems of those files, and '' for itself. What runs so is an entry point.
   */
  readonly runs?: readonly string[];
  /** Imports a test runner's API (ava, QUnit, Playwright...) or declares suites with its globals: a test wherever it lives. */
  readonly test?: true;
}

/**
 * Relative specifiers, the `@/`/`~/` aliases, package.json subpath imports (`#src/x`), bare paths with a folder
 * (`app/common/x`, a tsconfig baseUrl's) and scoped package paths (`@acme/lib/x`: a package of the monorepo, or of
 * node_modules).
 */
const IMPORT = /\b(?:from|import|require\s*\()\s*\(?\s*['"]((?:\.{1,2}|@|~|#[\w.-]*|[A-Za-z][\w.-]*|@[\w.-]+\/[\w.-]+)\/[^'"]+)['"]/g;
/** Next.js route handlers and middleware, and modules marked for the server. */
const SERVER_PATH = /(^|\/)(app\/(.*\/)?route|middleware|pages\/api\/.*)\.[cm]?[jt]sx?$/;
const SERVER_ONLY = /['"]server-only['"]/;
const CLIENT_FOLDER = /(^|\/)client\//;

/** A script file named in a string: `'daemon.js'`, `"./workers/sync.ts"`. */
const SCRIPT_NAME = /['"`](?:[^'"`\s]*\/)?([\w.-]+)\.[cm]?[jt]sx?['"`]/g;
/** What comes before an import's specifier (`from './api.js'`, `import('./x.js')`, `require('./x.js')`): no script run by name. */
const IMPORTED_HERE = /(?:\bfrom|\bimport\s*\(|\brequire\s*\()\s*$/;
const RUNS_ITSELF = /\brequire\.main\s*===?\s*module\b|\bimport\.meta\.main\b/;

/** `import type { X } from './api'`, `export type { X } from './api'`: types only, no code the module runs. */
const TYPE_ONLY_IMPORT = /^[ \t]*(?:import|export)\s+type\s[^;'"]*?\bfrom\s*['"][^'"]+['"]/gm;

/** The module facts of a JavaScript/TypeScript file, read off its text. */
export function jsModuleOf(file: string, text: string): JsModule {
  // A module that only takes types from another makes it neither server, client nor test code (openid-client's
  // conformance modules take the harness's types).
  const code = text.includes(' type ') ? text.replace(TYPE_ONLY_IMPORT, '') : text;
  const imports = [...new Set(Array.from(code.matchAll(IMPORT), (m) => m[1]))];
  const server = importsNodeModule(text) || SERVER_PATH.test(file) || leadingDirective(text) === 'use server' || SERVER_ONLY.test(text);
  // Only a client module that imports others can make them browser code, or one that tells a client folder is one
  // (clientFolders): the others skip the client tests.
  const tells = imports.length > 0 || CLIENT_FOLDER.test(file);
  const runs = new Set(Array.from(code.matchAll(SCRIPT_NAME)).filter((m) => !IMPORTED_HERE.test(code.slice(Math.max(0, m.index - 16), m.index))).map((m) => m[1]));
  if (text.startsWith('#!') || ((text.includes('require.main') || text.includes('import.meta.main')) && RUNS_ITSELF.test(text))) runs.add('');
  return {
    file,
    imports,
    client: !server && tells && surelyClient(file, text),
    server,
    ...(runs.size > 0 ? { runs: [...runs] } : {}),
    ...(isTestSource(text) ? { test: true as const } : {}),
  };
}

/** A file's name without its folder and extension. */
function stem(file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return name.replace(/\.[cm]?[jt]sx?$/, '');
}

const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js', '/index.jsx'];

/** `a/b/../c` -> `a/c`. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/**
 * The workspace modules `specifier` may name from `file`, in the order to try. `packages`: the folders of the
 * monorepo's named packages.
 */
function resolutions(
  file: string,
  specifier: string,
  project: string,
  packages: ReadonlyMap<string, string>,
  subpaths: ReadonlyMap<string, SubpathImports>,
): string[] {
  if (specifier.startsWith('.')) return [normalize(`${file.slice(0, file.lastIndexOf('/') + 1)}${specifier}`)];
  // package.json's subpath imports: where its `imports` map points (`"#adapters/*": "./src/adapters/*"`), else the
  // project's sources (`#src/libraries/x.js` for `"#src/*": "./build/*"`, built from src/).
  const subpath = /^#([\w.-]*)\/(.*)$/.exec(specifier);
  if (subpath) {
    const home = project ? `${project}/` : '';
    const mapped = (subpaths.get(project) ?? []).flatMap(([key, target]) => {
      const star = key.indexOf('*');
      if (star === -1) return key === specifier ? [normalize(`${home}${target}`)] : [];
      const rest = specifier.startsWith(key.slice(0, star)) && specifier.endsWith(key.slice(star + 1)) ? specifier.slice(star, specifier.length - (key.length - star - 1)) : undefined;
      return rest === undefined ? [] : [normalize(`${home}${target.replace('*', rest)}`)];
    });
    return [...mapped, normalize(`${home}src/${subpath[2]}`), normalize(`${home}${subpath[1]}/${subpath[2]}`)];
  }
  const scoped = /^(@[\w.-]+\/[\w.-]+|[\w.-]+)\/(.*)$/.exec(specifier);
  const folder = scoped ? packages.get(scoped[1]) : undefined;
  if (scoped && folder !== undefined) {
    const base = folder ? `${folder}/` : '';
    return [normalize(`${base}${scoped[2]}`), normalize(`${base}src/${scoped[2]}`)];
  }
  const root = project ? `${project}/` : '';
  // A bare path names a workspace module only when the project has that file (`app/common/x` under a baseUrl of
  // the project root); a package's subpath (`lodash/merge`) names none.
  if (!/^[@~]\//.test(specifier)) return [normalize(`${root}${specifier}`)];
  const rest = specifier.slice(2);
  return [normalize(`${root}${rest}`), normalize(`${root}src/${rest}`)];
}

/**
 * `X/client/` folders beside an `X/server/` folder that hold client code (a module surely client, or a `.jsx`/`.tsx`
 * component): the browser half of a client/server project (yapi, thelounge, grist's app/client).
 */
export function clientFolders(all: readonly JsModule[]): string[] {
  const folders = new Set<string>();
  for (const m of all) {
    for (let end = m.file.lastIndexOf('/'); end > 0; end = m.file.lastIndexOf('/', end - 1)) folders.add(m.file.slice(0, end + 1));
  }
  const found: string[] = [];
  for (const folder of folders) {
    if (!/(^|\/)client\/$/.test(folder) || !folders.has(folder.replace(/client\/$/, 'server/'))) continue;
    const inside = all.filter((m) => m.file.startsWith(folder) && !testCodeReason(m.file));
    if (inside.some((m) => m.client || /\.[jt]sx$/.test(m.file))) found.push(folder);
  }
  return found.sort();
}

/** Which modules of the workspace import each module (moduleImporters), asked for only when needed. */
export type Importers = () => ReadonlyMap<string, readonly string[]>;

/** The modules only browser code imports (see the header); tests importing a module do not count. */
export function browserOnlyModules(all: readonly JsModule[], importersOf: Importers, clientCode: readonly string[] = []): string[] {
  const inClientFolder = (m: JsModule) => !m.server && clientCode.some((folder) => m.file.startsWith(folder));
  const client = (m: JsModule) => m.client || inClientFolder(m);
  if (!all.some(client)) return [];
  const tests = new Set(all.filter((m) => testCodeReason(m.file)).map((m) => m.file));
  const importers = new Map<string, string[]>();
  for (const [file, list] of importersOf()) {
    const kept = list.filter((f) => !tests.has(f));
    if (kept.length > 0) importers.set(file, kept);
  }
  const candidates = all.filter((m) => !client(m) && !m.server && importers.has(m.file)).map((m) => m.file);
  return onlyImportedBy(all.filter(client).map((m) => m.file), candidates, importers);
}

/**
 * The modules only tests (or development-only code) import, through chains of such modules: a REST client under
 * `src/` that only `*.e2e.ts` files use (novu's workflow client), a test container's admin client beside the code
 * (karakeep's). Never an entry point (ENTRY_NAME), nor what one imports: a route handler its own test imports is
 * production code all the same.
 */
export function testOnlyModules(all: readonly JsModule[], importersOf: Importers, projectOf: (file: string) => string): string[] {
  // Development-only code counts as tests here: almondyoung's admin client that only its `app/dev/` pages import.
  const tests = new Set(all.filter((m) => m.test || isTestSuitePath(m.file) || isDevelopmentPath(m.file)).map((m) => m.file));
  if (tests.size === 0) return [];
  const importers = importersOf();
  // Scripts production code starts by their file name (a daemon forked by path) are entry points too.
  const started = new Set(all.filter((m) => !tests.has(m.file)).flatMap((m) => m.runs ?? []));
  const runs = (m: JsModule) => m.runs?.includes('') || started.has(stem(m.file));
  const candidates = all
    .filter((m) => !tests.has(m.file) && !testCodeReason(m.file) && importers.has(m.file) && !runs(m) && !isEntryPoint(m.file, projectOf(m.file)))
    .map((m) => m.file);
  return onlyImportedBy([...tests], candidates, importers);
}

/**
 * Entry points, which something outside the imports starts or loads: files named as entries go (`main`, `server`,
 * `handler`, ...) and those a framework routes to (Next.js's `route`, `page`, `layout`, `middleware`;
 * `pages/` and `routes/` folders). Their own tests importing them makes them no test code.
 */
const ENTRY_NAME =
  /(^|\/)(main|server|app|cli|bin|start|worker|handler|lambda|function|entry|bootstrap|route|page|layout|middleware|instrumentation|\+server|\+page\.server)\.[cm]?[jt]sx?$|(^|\/)(pages|routes)\//;

/**
 * An entry point (ENTRY_NAME), a package's own `index` (not a folder's barrel, which only gathers exports), or a
 * serverless function of a project's `api/` folder (Vercel's).
 */
export function isEntryPoint(file: string, project: string): boolean {
  const inside = project && file.startsWith(`${project}/`) ? file.slice(project.length + 1) : file;
  return ENTRY_NAME.test(file) || /^((src|lib)\/)?index\.[cm]?[jt]sx?$/.test(inside) || inside.startsWith('api/');
}

/**
 * The files an import's resolved path may name: with each extension, and for TypeScript's ESM imports (`./api.js`
 * for `./api.ts`, `.mjs` for `.mts`) the TypeScript source the compiled name stands for.
 */
function candidatePaths(base: string): string[] {
  const paths = EXTENSIONS.map((ext) => `${base}${ext}`);
  const compiled = /\.([cm]?)js(x?)$/.exec(base);
  if (compiled) paths.push(`${base.slice(0, compiled.index)}.${compiled[1]}ts${compiled[2]}`);
  if (compiled?.[1] === '' && compiled[2] === '') paths.push(`${base.slice(0, compiled.index)}.tsx`);
  return paths;
}

/**
 * Which modules of the workspace import each one: target file -> importing files. `projectOf` gives the project
 * folder of a file (where `@/` points, or its `src/`); `packages` the folders of the monorepo's named packages.
 */
export function moduleImporters(
  all: readonly JsModule[],
  projectOf: (file: string) => string,
  packages: ReadonlyMap<string, string>,
  subpaths: ReadonlyMap<string, SubpathImports>,
): Map<string, string[]> {
  const paths = new Set(all.map((m) => m.file));
  const importers = new Map<string, string[]>();
  for (const m of all) {
    const project = projectOf(m.file);
    for (const specifier of m.imports) {
      for (const base of resolutions(m.file, specifier, project, packages, subpaths)) {
        const target = candidatePaths(base).find((p) => paths.has(p) && p !== m.file);
        if (!target) continue;
        const list = importers.get(target);
        if (list) list.push(m.file);
        else importers.set(target, [m.file]);
        break;
      }
    }
  }
  return importers;
}

/**
 * The candidates whose importers are all `seeds` or such candidates: the largest set that holds. Start from every
 * candidate, drop each one that something outside the set imports, until none is dropped (a cycle of helpers
 * imported only by components stays in).
 */
function onlyImportedBy(seeds: readonly string[], candidates: readonly string[], importers: ReadonlyMap<string, readonly string[]>): string[] {
  const kept = new Set([...seeds, ...candidates]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const file of candidates) {
      if (!kept.has(file) || importers.get(file)!.every((f) => kept.has(f))) continue;
      kept.delete(file);
      changed = true;
    }
  }
  return candidates.filter((file) => kept.has(file)).sort();
}
