// Facts about the whole workspace that single-file rules need: where this workspace's own servers listen, their
// public base URLs, and configuration properties. Facts are gathered per file (so the language server can update
// one file at a time) and combined; each fact belongs to the project (the nearest folder with a package.json,
// pom.xml or build.gradle) that declares it, so one service calling another of the same monorepo is no self-call.
import { unreferencedJavaFiles, type JavaReferences } from './java-references';
import { unmentionedNames, type NameMentions } from './name-mentions';
import { unbuiltMavenModules } from './maven-modules';
import { browserOnlyModules, clientFolders, moduleImporters, testOnlyModules, type JsModule } from './js-modules';

export interface Declaration {
  /** Workspace-relative path with forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

/** A port some server in this workspace listens on. */
export interface ListeningPort extends Declaration {
  readonly port: number;
  /** Where the port comes from, for messages: "server.port", "Tomcat <Connector>", "app.listen(...)". */
  readonly origin: string;
  /** The servlet context path served on that port ('' for the root). */
  readonly contextPath: string;
}

/** A configured public base URL of this service (`app.base-url`, `SELF_URL`). */
export interface OwnBaseUrl extends Declaration {
  readonly url: string;
  readonly name: string;
}

/** A configuration property (Spring properties/YAML, .env) with the place it is declared. */
export interface Property extends Declaration {
  readonly key: string;
  readonly value: string;
}

/** A method of this workspace that a request handler in another file calls (`SearchManager.search`). */
export interface HandlerCallee extends Declaration {
  /** Simple name of the callee's declared type (a class or an interface it implements). */
  readonly type: string;
  readonly method: string;
  /** How many arguments the handler passes: `close(id)` is not `close()`. */
  readonly arity: number;
  /** The handler that calls it, for messages: `SearchController.search`. */
  readonly handler: string;
}

/**
 * A client library's default timeout set once for the whole process (`axios.defaults.timeout = 30_000`,
 * `HttpGlobalConfig.setTimeout(30_000)`, a Spring `@Bean` RestTemplateBuilder with both timeouts).
 */
export interface TimeoutDefault extends Declaration {
  readonly library: 'axios' | 'hutool' | 'spring-rest-template-builder';
}

/** An exported JavaScript/TypeScript constant holding a URL of this machine (`cloudServerUrl = 'http://localhost:8080/app'`). */
export interface LoopbackConstant extends Declaration {
  readonly name: string;
}

/** A method or exported function of this workspace that hands its callers a connection, request or response without a timeout. */
export type { ClientWrapper } from './client-wrappers';
import type { ClientWrapper } from './client-wrappers';
export type { ResourceFactory } from './resource-factories';
import type { ResourceFactory } from './resource-factories';

/** What a build file (package.json, pom.xml, build.gradle) says about its project. */
export interface BuildFacts {
  readonly build: 'java' | 'node';
  /** Folders (relative to the project) of test code beyond the conventional ones: Gradle source sets, Maven's testSourceDirectory. */
  readonly testRoots: readonly string[];
  /** package.json: the files its `browser` field substitutes in browsers (relative to the project). */
  readonly browserFiles: readonly string[];
  /** package.json: a front-end package (React, Vue, Angular, Svelte...) that depends on no server framework or back-end library (config-files.ts). */
  readonly frontend: boolean;
  /** package.json: depends on a server framework (Express, Koa, Fastify, Nest, ws...). */
  readonly server: boolean;
  /** package.json: its server framework is only among the devDependencies (a dev server beside webpack or Vite). */
  readonly devServerOnly?: true;
  /** package.json: its `name`, by which the other packages of a monorepo import its modules (`@acme/lib/x`). */
  readonly packageName?: string;
  /** package.json: it installs commands (a `bin` field). */
  readonly bin?: true;
  /** package.json: a command-line tool and nothing else (config-files.ts commandLineTool). */
  readonly commandLineTool?: true;
  /** package.json: an Electron desktop app (it depends on electron). */
  readonly desktop?: true;
  /** package.json: a documentation website (it depends on Docusaurus, VitePress, docsify...; config-files.ts). */
  readonly docsSite?: true;
  /** package.json: a published library, with an API for programs outside the workspace (`types`, `exports`...). */
  readonly library?: true;
  /** package.json: its subpath imports (`"#adapters/*": "./src/adapters/*"`). */
  readonly subpathImports?: SubpathImports;
  /** package.json: files (relative to the project) that its build and maintenance scripts run (config-files.ts devScripts). */
  readonly devScripts?: readonly string[];
  /** pom.xml: the modules it aggregates (maven-modules.ts). */
  readonly modules?: readonly string[];
  /** pom.xml, build.gradle: packaged as a web application archive (a war), which a servlet container runs. */
  readonly webApp?: true;
}

/**
 * A package.json's subpath imports as [specifier, target] pairs, the target relative to the project; a `*` in both
 * stands for the rest of the specifier.
 */
export type SubpathImports = readonly (readonly [string, string])[];

/** What one file contributes. */
export interface FileFacts {
  readonly file: string;
  readonly ports: readonly ListeningPort[];
  readonly baseUrls: readonly OwnBaseUrl[];
  readonly properties: readonly Property[];
  /** Line of a `@SpringBootApplication` class: the project listens on 8080 unless it configures a port. */
  readonly springBootApplication?: number;
  /** True for package.json, pom.xml, build.gradle(.kts): the folder is a project root. */
  readonly projectMarker: boolean;
  /** For build files: what they say about the project. */
  readonly build?: BuildFacts;
  /** Process-wide default timeouts this source sets. */
  readonly timeoutDefaults?: readonly TimeoutDefault[];
  /** Exported constants of this source that hold a loopback URL. */
  readonly loopbackConstants?: readonly LoopbackConstant[];
  /** Java production code: a field, parameter or lookup of a RestTemplate (not one it builds). */
  readonly injectsRestTemplate?: true;
  /** spring.factories, AutoConfiguration.imports: its module auto-configures the applications that use it. */
  readonly autoConfiguration?: true;
  /** Methods of other files that the request handlers of this source call. */
  readonly handlerCallees?: readonly HandlerCallee[];
  /** HTTP wrappers this source declares (client-wrappers.ts). */
  readonly clientWrappers?: readonly ClientWrapper[];
  /** Methods and exported functions this source declares that return a fresh resource (resource-factories.ts). */
  readonly resourceFactories?: readonly ResourceFactory[];
  /** What a Java file declares and may refer to (java-references.ts). */
  readonly javaReferences?: JavaReferences;
  /** What a JavaScript/TypeScript module imports, and whether it is surely client or server code (js-modules.ts). */
  readonly jsModule?: JsModule;
  /** What a source may declare as functions or methods, and the words it holds (name-mentions.ts). */
  readonly nameMentions?: NameMentions;
}

type Scoped<T> = T & { readonly project: string };

export interface WorkspaceFacts {
  readonly ports: readonly Scoped<ListeningPort>[];
  readonly baseUrls: readonly Scoped<OwnBaseUrl>[];
  readonly properties: readonly Scoped<Property>[];
  /** Project roots (workspace-relative folders, '' for the root), longest first. */
  readonly projects: readonly string[];
  /** Extra host names that mean "this machine" (setting `closewait.selfCall.extraHosts`). */
  readonly extraHosts: readonly string[];
  /** Test folders declared by build files (relative to their project). */
  readonly testRoots: readonly TestRoot[];
  /** What each project's build files say (a folder with both pom.xml and package.json has two). */
  readonly builds: readonly Scoped<BuildFacts & Declaration>[];
  /** Process-wide default timeouts, by the project whose code sets them. */
  readonly timeoutDefaults: readonly Scoped<TimeoutDefault>[];
  /** Exported constants that hold a loopback URL, by the project that declares them. */
  readonly loopbackConstants: readonly Scoped<LoopbackConstant>[];
  /** Methods request handlers call across files (not scoped: a controller calls services of other modules). */
  readonly handlerCallees: readonly HandlerCallee[];
  /** The workspace's HTTP wrappers without a timeout (not scoped: a module calls the wrappers of others). */
  readonly clientWrappers: readonly ClientWrapper[];
  /** The workspace's methods and functions that return a fresh resource (not scoped, as wrappers). */
  readonly resourceFactories: readonly ResourceFactory[];
  /** Java files whose plain class no other file refers to: dead code, its findings strict only (java-references.ts). */
  readonly unreferencedJavaFiles: readonly string[];
  /** Maven module folders no built aggregator lists: outside the build, their findings strict only (maven-modules.ts). */
  readonly unbuiltMavenModules: readonly string[];
  /** JavaScript/TypeScript modules that only browser code imports (js-modules.ts). */
  readonly browserOnlyModules: readonly string[];
  /** `X/client/` folders of client code beside an `X/server/` folder (js-modules.ts). */
  readonly clientFolders: readonly string[];
  /** JavaScript/TypeScript modules that only tests import (js-modules.ts). */
  readonly testOnlyModules: readonly string[];
  /** By file, the functions and methods it declares that no other file names (name-mentions.ts). */
  readonly unmentionedNames: Readonly<Record<string, readonly string[]>>;
  /** Whether any Java production code takes a RestTemplate in (else a RestTemplate @Bean serves no one). */
  readonly restTemplateInjected: boolean;
  /** Projects that auto-configure the applications using them (their beans serve code outside the workspace). */
  readonly autoConfiguredProjects: readonly string[];
}

export interface TestRoot {
  readonly project: string;
  readonly folder: string;
  /** The build file that declares it. */
  readonly origin: string;
}

export const NO_FACTS: WorkspaceFacts = {
  ports: [],
  baseUrls: [],
  properties: [],
  projects: [],
  extraHosts: [],
  testRoots: [],
  builds: [],
  timeoutDefaults: [],
  loopbackConstants: [],
  handlerCallees: [],
  clientWrappers: [],
  resourceFactories: [],
  unreferencedJavaFiles: [],
  unbuiltMavenModules: [],
  browserOnlyModules: [],
  clientFolders: [],
  testOnlyModules: [],
  unmentionedNames: {},
  restTemplateInjected: true,
  autoConfiguredProjects: [],
};

const nameIndexes = new WeakMap<readonly { readonly name: string }[], Map<string, { readonly name: string }[]>>();

/** The members of a list of workspace facts (wrappers, factories) with this name, indexed once per list. */
export function declaredNamed<T extends { readonly name: string }>(list: readonly T[], name: string): readonly T[] {
  if (list.length === 0) return [];
  let index = nameIndexes.get(list);
  if (!index) {
    index = new Map();
    for (const item of list) index.set(item.name, [...(index.get(item.name) ?? []), item]);
    nameIndexes.set(list, index);
  }
  return (index.get(name) as T[] | undefined) ?? [];
}

const fileSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** True when `file` is in `files` (a list of the workspace facts), looked up in a set made once per list. */
export function isListed(files: readonly string[] | undefined, file: string): boolean {
  if (!files || files.length === 0) return false;
  let set = fileSets.get(files);
  if (!set) fileSets.set(files, (set = new Set(files)));
  return set.has(file);
}

function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** The project a file belongs to: the deepest project root above it. */
export function projectOf(facts: Pick<WorkspaceFacts, 'projects'>, file: string): string {
  for (const root of facts.projects) if (root === '' || file === root || file.startsWith(`${root}/`)) return root;
  return '';
}

const SPRING_PORT_KEYS = new Set(['server.port']);

export function combineFacts(files: Iterable<FileFacts>, extraHosts: readonly string[] = []): WorkspaceFacts {
  const all = [...files];
  const projects = [...new Set(all.filter((f) => f.projectMarker).map((f) => folderOf(f.file)))].sort((a, b) => b.length - a.length);
  if (!projects.includes('')) projects.push('');
  const scope = { projects };
  const ports: Scoped<ListeningPort>[] = [];
  const baseUrls: Scoped<OwnBaseUrl>[] = [];
  const properties: Scoped<Property>[] = [];
  const builds: Scoped<BuildFacts & Declaration>[] = [];
  const timeoutDefaults: Scoped<TimeoutDefault>[] = [];
  const loopbackConstants: Scoped<LoopbackConstant>[] = [];
  const handlerCallees: HandlerCallee[] = [];
  const clientWrappers: ClientWrapper[] = [];
  const resourceFactories: ResourceFactory[] = [];
  // Each file's project once: finding it walks the projects, and the module judgements ask for it again.
  const projectByFile = new Map<string, string>();
  const projectOfFile = (file: string): string => projectByFile.get(file) ?? projectOf(scope, file);
  for (const f of all) {
    clientWrappers.push(...(f.clientWrappers ?? []));
    resourceFactories.push(...(f.resourceFactories ?? []));
    const project = projectOf(scope, f.file);
    projectByFile.set(f.file, project);
    for (const d of f.timeoutDefaults ?? []) timeoutDefaults.push({ ...d, project });
    for (const c of f.loopbackConstants ?? []) loopbackConstants.push({ ...c, project });
    handlerCallees.push(...(f.handlerCallees ?? []));
    for (const p of f.ports) ports.push({ ...p, project });
    for (const b of f.baseUrls) baseUrls.push({ ...b, project });
    for (const p of f.properties) properties.push({ ...p, project });
    if (f.build) builds.push({ ...f.build, file: f.file, line: 1, project });
  }
  const testRoots = builds.flatMap((b) => b.testRoots.map((folder) => ({ project: b.project, folder, origin: b.file })));
  // Spring Boot listens on 8080 unless the project's configuration says otherwise.
  for (const f of all) {
    if (f.springBootApplication === undefined) continue;
    const project = projectOf(scope, f.file);
    const configured = properties.some((p) => p.project === project && SPRING_PORT_KEYS.has(p.key));
    if (!configured) {
      ports.push({ port: 8080, origin: 'Spring Boot default port', contextPath: '', file: f.file, line: f.springBootApplication, project });
    }
  }
  const outsideLibraries = notInLibrary(builds, projectOfFile);
  const byPlace = (a: Declaration, b: Declaration) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  ports.sort(byPlace);
  return {
    ports,
    baseUrls: baseUrls.sort(byPlace),
    properties: properties.sort(byPlace),
    projects,
    extraHosts,
    testRoots,
    builds: builds.sort(byPlace),
    timeoutDefaults: timeoutDefaults.sort(byPlace),
    loopbackConstants: loopbackConstants.sort(byPlace),
    handlerCallees: handlerCallees.sort(byPlace),
    clientWrappers: clientWrappers.sort(byPlace),
    resourceFactories: resourceFactories.sort(byPlace),
    unreferencedJavaFiles: unreferencedJavaFiles(all.flatMap((f) => (f.javaReferences ? [f.javaReferences] : []))),
    unbuiltMavenModules: unbuiltMavenModules(builds.flatMap((b) => (b.file.endsWith('pom.xml') ? [{ project: b.project, modules: b.modules ?? [] }] : []))),
    ...jsModuleFacts(all.flatMap((f) => (f.jsModule ? [f.jsModule] : [])), projectOfFile, packageFolders(builds), subpathImports(builds), outsideLibraries),
    unmentionedNames: unmentionedNames(all.flatMap((f) => (f.nameMentions ? [f.nameMentions] : [])), outsideLibraries),
    restTemplateInjected: all.some((f) => f.injectsRestTemplate),
    autoConfiguredProjects: [...new Set(all.filter((f) => f.autoConfiguration).map((f) => projectOfFile(f.file)))].sort(),
  };
}

/** Whether a file lies outside every published library of the workspace (whose modules programs outside it call). */
function notInLibrary(builds: readonly Scoped<BuildFacts & Declaration>[], projectOfFile: (file: string) => string): (file: string) => boolean {
  const libraries = new Set(builds.filter((b) => b.library).map((b) => b.project));
  return (file) => libraries.size === 0 || !libraries.has(projectOfFile(file));
}

/** The folders of the workspace's named Node packages, by name: where `@acme/lib/x` of a monorepo points. */
function packageFolders(builds: readonly Scoped<BuildFacts & Declaration>[]): Map<string, string> {
  const folders = new Map<string, string>();
  for (const b of builds) if (b.packageName && !folders.has(b.packageName)) folders.set(b.packageName, b.project);
  return folders;
}

/** Each Node project's package.json subpath imports (`#adapters/*`), by project folder. */
function subpathImports(builds: readonly Scoped<BuildFacts & Declaration>[]): Map<string, SubpathImports> {
  const byProject = new Map<string, SubpathImports>();
  for (const b of builds) if (b.subpathImports && !byProject.has(b.project)) byProject.set(b.project, b.subpathImports);
  return byProject;
}

function jsModuleFacts(
  modules: readonly JsModule[],
  projectOfModule: (file: string) => string,
  packages: ReadonlyMap<string, string>,
  subpaths: ReadonlyMap<string, SubpathImports>,
  notInLibrary: (file: string) => boolean,
): Pick<WorkspaceFacts, 'browserOnlyModules' | 'clientFolders' | 'testOnlyModules'> {
  const folders = clientFolders(modules);
  // Who imports whom, resolved once for both judgements, and only if one of them needs it.
  let importers: ReadonlyMap<string, readonly string[]> | undefined;
  const importersOf = () => (importers ??= moduleImporters(modules, projectOfModule, packages, subpaths));
  return {
    browserOnlyModules: browserOnlyModules(modules, importersOf, folders),
    clientFolders: folders,
    // A published library's modules are its users' to import (logto's @logto/api exports ./management).
    testOnlyModules: testOnlyModules(modules.filter((m) => notInLibrary(m.file) || m.test), importersOf, projectOfModule),
  };
}

/** Base configuration (`application.yml`) speaks for the running service before a profile variant does. */
function profileRank(file: string): number {
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (/^(application|bootstrap)\.(properties|ya?ml)$/.test(name)) return 0;
  return name.startsWith('.env') ? 1 : 2;
}

/** A property of the file's project (or, failing that, of any project), with `${key:default}` references resolved. */
export function propertyValue(facts: WorkspaceFacts, file: string, key: string, depth = 0): string | undefined {
  const project = projectOf(facts, file);
  const own = facts.properties.filter((p) => p.key === key).sort((a, b) => profileRank(a.file) - profileRank(b.file));
  const found = own.find((p) => p.project === project) ?? own[0];
  if (!found) return undefined;
  return depth > 5 ? found.value : resolvePlaceholders(found.value, (k) => propertyValue(facts, file, k, depth + 1));
}

/** Replaces `${key}` / `${key:default}` with the looked-up value, else the default; unknown stays unknown (\uFFFF). */
export function resolvePlaceholders(value: string, lookup: (key: string) => string | undefined): string {
  // Neither part spans a `${`: an unclosed placeholder must not make every later one rescan the rest of the value.
  return value.replace(/\$\{([^}:$]+)(?::((?:[^}$]|\$(?!\{))*))?\}/g, (_, key: string, fallback: string | undefined) => lookup(key.trim()) ?? fallback ?? '\uFFFF');
}
