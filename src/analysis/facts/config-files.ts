// Reads the configuration files that say where a service listens: Spring/Micronaut/Quarkus properties and YAML,
// Tomcat's conf/server.xml, .env files; and notes project markers (package.json, pom.xml, build.gradle).
import { pomModules } from './maven-modules';
import type { BuildFacts, FileFacts, ListeningPort, OwnBaseUrl, Property, SubpathImports } from './workspace';
import { normalizeLineBreaks } from '../parse/source';
import { resolvePlaceholders } from './workspace';

const PROPERTIES = /^(application|bootstrap)(-[\w.-]+)?\.properties$/;
const YAML = /^(application|bootstrap)(-[\w.-]+)?\.ya?ml$/;
const ENV = /^\.env(\.[\w.-]+)?$/;
const MARKERS = new Set(['package.json', 'pom.xml', 'build.gradle', 'build.gradle.kts']);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True for files that can contribute workspace facts (besides Java/JS sources). */
export function isConfigFile(path: string): boolean {
  const name = baseName(path);
  return PROPERTIES.test(name) || YAML.test(name) || ENV.test(name) || name === 'server.xml' || MARKERS.has(name) || AUTO_CONFIGURATION.test(name);
}

/** Spring Boot's lists of auto-configurations: the module configures the applications that put it on their classpath. */
const AUTO_CONFIGURATION = /^(spring\.factories|org\.springframework\.boot\.autoconfigure\.AutoConfiguration\.imports)$/;

interface Entry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/** Java .properties: `key=value`, `key: value`, `key value`, `#`/`!` comments, `\` continuations. */
export function readProperties(text: string): Entry[] {
  const entries: Entry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i].replace(/^\s+/, '');
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].replace(/^\s+/, '');
    // `s`: a stray line separator (\u2028) in the value must not send the regex backtracking through the spaces.
    const match = /^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$/s.exec(line);
    if (!match) continue;
    entries.push({ key: match[1].replace(/\\(.)/g, '$1'), value: match[2].trim(), line: start + 1 });
  }
  return entries;
}

function unquote(value: string): string {
  const v = value.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
  // One space before `#` is enough to find a comment; `\s+#` backtracks quadratically through long blank runs.
  return v.replace(/\s#.*$/s, '').trimEnd();
}

/** The subset of YAML that configuration files use: nested maps flattened to dotted keys; lists are skipped. */
export function readYaml(text: string): Entry[] {
  const entries: Entry[] = [];
  let stack: { indent: number; key: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (/^---/.test(raw) || /^\.\.\.\s*$/.test(raw)) {
      stack = [];
      return;
    }
    const line = raw.replace(/\t/g, '  ');
    const content = line.trim();
    if (!content || content.startsWith('#') || content.startsWith('- ') || content === '-') return;
    const indent = line.length - line.trimStart().length;
    // The key ends in a non-blank: a lazy key followed by `\s*:` backtracks quadratically on long lines without a colon.
    const match = /^("[^"]*"|'[^']*'|[^:#]*[^:#\s])\s*:(?:\s+(.*))?$/s.exec(content);
    if (!match) return;
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const key = unquote(match[1]);
    const path = [...stack.map((s) => s.key), key].join('.');
    const value = match[2] === undefined ? '' : unquote(match[2]);
    if (value === '' || value.startsWith('#')) stack.push({ indent, key });
    else if (!/^[|>]/.test(value)) entries.push({ key: path, value, line: index + 1 });
  });
  return entries;
}

/** .env: `KEY=value`, `export KEY=value`, quotes, comments. */
export function readEnv(text: string): Entry[] {
  const entries: Entry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*)$/s.exec(raw);
    if (match) entries.push({ key: match[1], value: unquote(match[2]), line: index + 1 });
  });
  return entries;
}

/** Keys whose value is the port this service listens on. */
const PORT_KEYS = /^(%[\w-]+\.)?(server\.port|micronaut\.server\.port|quarkus\.http\.port)$/;
const ENV_PORT_KEYS = /^(PORT|SERVER_PORT|HTTP_PORT|APP_PORT)$/;
const CONTEXT_KEYS = /^(server\.servlet\.context-path|server\.context-path|server\.servlet\.contextPath|quarkus\.http\.root-path|micronaut\.server\.context-path)$/;
/**
 * Names of this service's own public URL: `app.base-url`, `server.base-url`, `BASE_URL`, `SELF_URL`, `APP_URL`.
 * A prefix naming another service (`pricing.base-url`) is a client setting, not ours.
 */
const OWN_URL_KEY =
  /^(?:(?:spring\.)?(?:app|application|server|service|site|self|own|public|external)[._-]?)?(?:base|self|app|public|external|site|own|server)[._-]?url$/i;

function portOf(value: string, lookup: (key: string) => string | undefined): number | undefined {
  const resolved = resolvePlaceholders(value, lookup);
  const port = /^\d{1,5}$/.test(resolved) ? Number(resolved) : undefined;
  return port !== undefined && port > 0 && port < 65536 ? port : undefined;
}

function factsFromEntries(file: string, entries: Entry[], env: boolean): FileFacts {
  const byKey = new Map(entries.map((e) => [e.key, e.value]));
  const lookup = (key: string) => byKey.get(key);
  const properties: Property[] = entries.map((e) => ({ key: e.key, value: e.value, file, line: e.line }));
  const contextPath = entries.find((e) => CONTEXT_KEYS.test(e.key))?.value.replace(/\/$/, '') ?? '';
  const ports: ListeningPort[] = [];
  const baseUrls: OwnBaseUrl[] = [];
  for (const e of entries) {
    if (env ? ENV_PORT_KEYS.test(e.key) : PORT_KEYS.test(e.key)) {
      const port = portOf(e.value, lookup);
      if (port !== undefined) ports.push({ port, origin: env ? `${e.key} in ${baseName(file)}` : e.key, contextPath, file, line: e.line });
    }
    if (OWN_URL_KEY.test(e.key) && /^https?:\/\//i.test(e.value)) baseUrls.push({ url: e.value, name: e.key, file, line: e.line });
  }
  return { file, ports, baseUrls, properties, projectMarker: false };
}

/** Tomcat `<Connector port="8080" protocol="HTTP/1.1" .../>`; AJP connectors are not HTTP. */
function serverXml(file: string, text: string): FileFacts {
  const ports: ListeningPort[] = [];
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  // A tag holds no `<`: stopping there keeps a file of unclosed `<Connector` linear.
  let line = 1;
  let counted = 0;
  for (const match of withoutComments.matchAll(/<Connector\b[^<>]*>/g)) {
    const tag = match[0];
    const port = /\bport\s*=\s*"(\d+)"/.exec(tag);
    if (!port || /protocol\s*=\s*"AJP/i.test(tag)) continue;
    for (let i = withoutComments.indexOf('\n', counted); i !== -1 && i < match.index; i = withoutComments.indexOf('\n', i + 1)) line++;
    counted = match.index;
    ports.push({ port: Number(port[1]), origin: 'Tomcat <Connector>', contextPath: '', file, line });
  }
  return { file, ports, baseUrls: [], properties: [], projectMarker: false };
}

/** Front-end frameworks, and the libraries that draw in a page (a 3D viewer on three.js, a map on Leaflet). */
const FRONTEND_LIBRARIES =
  /^(react|react-dom|react-native|expo|vue|@angular\/core|svelte|preact|solid-js|lit|jquery|@sveltejs\/kit|ember-source|backbone|three|@babylonjs\/core|pixi\.js|leaflet|mapbox-gl|maplibre-gl|cesium)$/;
/** Documentation-site generators: a package built on one is a website of docs, examples and build plugins. */
const DOCS_SITE_GENERATORS = /^(@docusaurus\/core|docusaurus|vitepress|vuepress|@vuepress\/core|@astrojs\/starlight|docsify|docsify-cli)$/;
const SERVER_LIBRARIES = /^(express|koa|fastify|@hapi\/hapi|hapi|@nestjs\/core|restify|polka|micro|next|nuxt|socket\.io|ws|http-proxy|undici)$/;
/**
 * Libraries only a back end depends on (database drivers, queues, bot and bridge frameworks): a package that has one
 * beside React is a server that also builds a widget (matrix-appservice-slack), not a front-end package.
 */
const BACKEND_LIBRARIES =
  /^(pg|pg-promise|mysql2?|mongodb|mongoose|redis|ioredis|nedb|@seald-io\/nedb|sqlite3|better-sqlite3|knex|sequelize|typeorm|@prisma\/client|kafkajs|amqplib|bullmq|bull|matrix-appservice-bridge|matrix-bot-sdk|@slack\/bolt|discord\.js|telegraf)$/;
const TEST_SOURCE_SET = /test|^it$|integration|e2e|functional|jmh|perf|bench/i;

function relativeFile(path: string): string {
  return path.replace(/^\.\//, '');
}

/** package.json: the files its `browser` field names, and whether it is a front-end package. */
function packageJson(text: string): BuildFacts {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { build: 'node', testRoots: [], browserFiles: [], frontend: false, server: false };
  }
  const pkg = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const browserFiles: string[] = [];
  if (typeof pkg.browser === 'string') browserFiles.push(relativeFile(pkg.browser));
  else if (pkg.browser && typeof pkg.browser === 'object') {
    for (const value of Object.values(pkg.browser)) if (typeof value === 'string') browserFiles.push(relativeFile(value));
  }
  const namesIn = (key: string): string[] => {
    const deps = pkg[key];
    return deps && typeof deps === 'object' ? Object.keys(deps) : [];
  };
  const dependencies = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap(namesIn);
  const server = dependencies.some((d) => SERVER_LIBRARIES.test(d));
  const desktop = dependencies.includes('electron');
  // A server that also builds its docs (a dependency among many) is still a server.
  const docsSite = !server && dependencies.some((d) => DOCS_SITE_GENERATORS.test(d));
  // What the package runs with, not what its tests do (joplin's mobile app tests with sqlite3).
  const runtime = namesIn('dependencies');
  // A server framework only among the devDependencies of a package whose front-end framework is a dependency serves
  // it while it is developed (openbas-front's and novu's dashboard's express, beside Vite), not in production. A
  // server bundled at build time lists both among its devDependencies (flood's fastify and React).
  const serverInDevOnly = server && ![...runtime, ...namesIn('peerDependencies')].some((d) => SERVER_LIBRARIES.test(d));
  const frontendWithDevServer = serverInDevOnly && runtime.some((d) => FRONTEND_LIBRARIES.test(d));
  const backend = (server && !frontendWithDevServer) || runtime.some((d) => BACKEND_LIBRARIES.test(d));
  const frontend = !backend && dependencies.some((d) => FRONTEND_LIBRARIES.test(d));
  return {
    build: 'node',
    testRoots: [],
    browserFiles,
    frontend,
    server,
    ...(serverInDevOnly ? { devServerOnly: true as const } : {}),
    ...(typeof pkg.name === 'string' && pkg.name !== '' ? { packageName: pkg.name } : {}),
    ...(pkg.bin ? { bin: true as const } : {}),
    ...(commandLineTool(pkg) ? { commandLineTool: true as const } : {}),
    ...(desktop ? { desktop: true as const } : {}),
    ...(docsSite ? { docsSite: true as const } : {}),
    ...(pkg.private !== true && ['types', 'typings', 'exports', 'module'].some((key) => key in pkg) ? { library: true as const } : {}),
    ...devScriptsOf(pkg),
    ...subpathImportsOf(pkg),
  };
}

/**
 * `"imports": { "#adapters/*": "./src/adapters/*", "#config": { "node": "./src/config.js" } }`: where each subpath
 * import points, the first string target of a conditional one.
 */
function subpathImportsOf(pkg: Record<string, unknown>): { subpathImports?: SubpathImports } {
  const imports = pkg.imports;
  if (!imports || typeof imports !== 'object') return {};
  const pairs: (readonly [string, string])[] = [];
  for (const [key, value] of Object.entries(imports)) {
    const target = typeof value === 'string' ? value : value && typeof value === 'object' ? Object.values(value).find((v) => typeof v === 'string') : undefined;
    if (key.startsWith('#') && typeof target === 'string' && target.startsWith('./')) pairs.push([key, relativeFile(target)]);
  }
  return pairs.length > 0 ? { subpathImports: pairs } : {};
}

/**
 * Words of a script's name that say it builds, generates or maintains (`build:icon-metadata`, `refresh:models`,
 * `refreshTokens`, mempool's `sync-assets`, which downloads the front end's assets at build time).
 */
const MAINTENANCE_WORDS = new Set(
  ('build generate gen codegen refresh update install preinstall postinstall prepare publish release version bump ' +
    'lint format doc docs seed migrate migration migrations downgrade reset fix check export import icons icon fetch download ' +
    'clean copy scan schema schemas i18n translations bundle compile metadata models setup deploy upload changelog license licenses bench analyze stats ' +
    'assets')
    .split(' '),
);
/** Words of a script's name that may run the product itself (`start`, `dev:server`, `worker`): never a script of its own. */
const PRODUCT_WORDS = new Set('start serve server dev debug prod production watch worker run main app api'.split(' '));
/** `node x.js`, `ts-node -T ./x.ts`, `tsx x.ts`, `bun x.ts`: a runner and the file it runs. */
const RUNS_FILE = /^(?:node|ts-node|ts-node-esm|tsx|bun|babel-node|vite-node)$/;
const SCRIPT_FILE = /\.[cm]?[jt]sx?$/;

/**
 * The files a package.json's build and maintenance scripts run directly (ThingsBoard's `"build:icon-metadata": "node
 * generate-icon-metadata.js"`, Botpress's `"refresh:models": "ts-node -T ./refresh-models.ts"`): a developer runs them,
 * the product does not. A script whose name also says it may run the product (`build:server`) names none.
 */
function devScriptsOf(pkg: Record<string, unknown>): { devScripts?: readonly string[] } {
  const scripts = pkg.scripts && typeof pkg.scripts === 'object' ? Object.entries(pkg.scripts as Record<string, unknown>) : [];
  const files = new Set<string>();
  for (const [name, command] of scripts) {
    if (typeof command !== 'string') continue;
    const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s:_\-.]/);
    if (!words.some((w) => MAINTENANCE_WORDS.has(w)) || words.some((w) => PRODUCT_WORDS.has(w))) continue;
    for (const step of command.split(/&&|\|\||[;|]/)) {
      const tokens = step.trim().split(/\s+/);
      const runner = tokens.findIndex((t) => RUNS_FILE.test(t));
      if (runner < 0) continue;
      const file = tokens.slice(runner + 1).find((t) => !t.startsWith('-'));
      if (file !== undefined && SCRIPT_FILE.test(file)) files.add(relativeFile(file));
    }
  }
  return files.size > 0 ? { devScripts: [...files] } : {};
}

/**
 * A package that is a command-line tool and nothing else: it installs a command, says it is a CLI or tells to run
 * that command with npx, and offers no typed or exported API for programs to call (novu's `novu` package: `novu
 * dev`, `novu init`, `novu sync`; quilltap's launcher, "Run with npx quilltap", whose other commands call the server
 * it started).
 */
function commandLineTool(pkg: Record<string, unknown>): boolean {
  const description = pkg.description;
  if (!pkg.bin || 'types' in pkg || 'typings' in pkg || 'exports' in pkg || typeof description !== 'string') return false;
  if (/\bCLI\b|\bcommand[- ]line\b/i.test(description)) return true;
  const commands = typeof pkg.bin === 'string' ? [String(pkg.name ?? '').replace(/^@[^/]+\//, '')] : Object.keys(pkg.bin);
  const npx = [...description.matchAll(/\bnpx\s+([\w.@/-]*\w)/g)].map((m) => m[1]);
  return commands.some((command) => npx.includes(command));
}

/** pom.xml: `<testSourceDirectory>`. */
function pomXml(text: string): BuildFacts {
  const testRoots = [...text.matchAll(/<testSourceDirectory>\s*([^<\s]+)\s*<\/testSourceDirectory>/g)].map((m) =>
    relativeFile(m[1].replace(/^\$\{(project\.)?basedir\}\//, '')),
  );
  const facts: BuildFacts = { build: 'java', testRoots, browserFiles: [], frontend: false, server: false, modules: pomModules(text) };
  return /<packaging>\s*war\s*<\/packaging>/.test(text) ? { ...facts, webApp: true } : facts;
}

/** build.gradle(.kts): the war plugin (`apply plugin: 'war'`, `id 'war'`, `id("war")`, `war` in a plugins block). */
const GRADLE_WAR = /\bapply\s+plugin\s*:\s*['"]war['"]|\bid\s*\(?\s*['"]war['"]|\bplugins\s*\{[^}]*^\s*war\s*$/m;

/**
 * build.gradle(.kts): the folders of source sets named like tests (`integrationTest { java { srcDir '...' } }`,
 * `val functionalTest by creating { java.srcDir("...") }`). A reading of the common spellings, not a Groovy parser.
 */
function gradle(text: string): BuildFacts {
  const testRoots: string[] = [];
  const sourceSet = /(?:\b(\w+)\s*\{|create\(\s*"(\w+)"\s*\)\s*\{|val\s+(\w+)\s+by\s+creating\s*\{)[^{}]*(?:\{[^{}]*)?\bsrcDirs?\s*[(=]?\s*(?:\[|listOf\(|files\()?\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(sourceSet)) {
    const name = m[1] ?? m[2] ?? m[3] ?? '';
    if (TEST_SOURCE_SET.test(name) || TEST_SOURCE_SET.test(m[4])) testRoots.push(relativeFile(m[4]).replace(/\/$/, ''));
  }
  const facts: BuildFacts = { build: 'java', testRoots, browserFiles: [], frontend: false, server: false };
  return GRADLE_WAR.test(text) ? { ...facts, webApp: true } : facts;
}

function buildFacts(name: string, text: string): BuildFacts {
  if (name === 'package.json') return packageJson(text);
  if (name === 'pom.xml') return pomXml(text);
  return gradle(text);
}

/** The facts of one configuration file (see `isConfigFile`). */
export function factsOfConfigFile(file: string, raw: string): FileFacts {
  // Properties, YAML and .env all end a line at a lone CR too.
  const text = normalizeLineBreaks(raw);
  const name = baseName(file);
  if (MARKERS.has(name)) return { file, ports: [], baseUrls: [], properties: [], projectMarker: true, build: buildFacts(name, text) };
  if (AUTO_CONFIGURATION.test(name)) return { file, ports: [], baseUrls: [], properties: [], projectMarker: false, autoConfiguration: true };
  if (name === 'server.xml') return serverXml(file, text);
  if (ENV.test(name)) return factsFromEntries(file, readEnv(text), true);
  return factsFromEntries(file, YAML.test(name) ? readYaml(text) : readProperties(text), false);
}
