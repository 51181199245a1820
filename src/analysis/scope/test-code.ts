// Which files are test code: tests, benchmarks, load generators, fixtures and mocks, and, alike for this purpose,
// examples, demos, scripts, command-line tools and desktop apps. Their findings are not what a maintainer fixes
// before production (a socket left open by a test dies with the test JVM; a demo's missing timeout hangs no server),
// so the default policy hides them. Decided from the path, as build tools do, plus the test roots a project's build
// files declare, and for Node from what a file does (a #! line, prompts at a terminal, an Electron import).
import type { WorkspaceFacts } from '../facts/workspace';
import { isListed, projectOf } from '../facts/workspace';

/**
 * What only a developer's machine or a non-live stage runs: Next.js `app/api/dev/` routes and `app/dev/` pages, a
 * NestJS `src/dev/` controller, the `dev` command of a CLI. Not `debug/`: inbox-zero's `api/user/debug/` routes are
 * the product's own.
 */
const DEV_FOLDER = /(^|\/)(dev|devtools|dev-tools)\//;

/** Folders that hold test code wherever they appear (Maven/Gradle source sets first). */
const TEST_FOLDERS: readonly [RegExp, string][] = [
  [/(^|\/)src\/(test|it|testFixtures|integrationTest|integration-test|functionalTest|e2eTest|jmh|androidTest)\//, 'a test source set'],
  [/(^|\/)(test|tests|__tests__|__mocks__|__e2e__|__fixtures__|spec|specs|e2e|testing|testdata|test-data|test-utils|testutils)\//, 'a test folder'],
  // ... or one camel-case word ending in it (mountebank's `mbTest/`, `apiTests/`, `smokeTest/`); not an A/B test's.
  [/(^|\/)(?!ab[TS])[a-z][a-z0-9]*(Tests?|Specs?)\//, 'a test folder'],
  // End-to-end suites named for their runner (dub's `apps/web/playwright/`); not inside `src/`, where a scraper's
  // own Playwright code may live.
  [/(^|\/)(?<!src\/)(cypress|playwright)\//, 'an end-to-end test folder'],
  [/(^|\/)(benchmarks?|bench|jmh|perf|loadtests?|load-tests?|stress-tests?)\//, 'a benchmark or load-test folder'],
  [/(^|\/)(fixtures?|mocks?|stubs)\//, 'a fixtures or mocks folder'],
  // Cucumber's glue code (`features/step_definitions/`, kuzzle's functional tests).
  [/(^|\/)(step_definitions|step-definitions|stepdefs)\//, 'Cucumber step definitions'],
  // Modules named for what they hold: `shenyu-integrated-test/`, `eureka-examples/`, `sentinel-demo-okhttp/`,
  // apollo-server's `integration-testsuite/` (what integrations run in their own tests).
  [/(^|\/)[\w.-]+[-_](tests?|testing|testsuites?|integrated-tests?|integration-tests?|it|e2e|benchmarks?|jmh)\//, 'a test module'],
  // ... or with the word in front: `test-embed/` (mailtrain's harness for trying out embedding), `e2e-app/`.
  [/(^|\/)(tests?|testing|e2e)[-_][\w.-]+\//, 'a test module'],
  // ... or in the middle: `openvidu-test-browsers/` (the browser drivers of OpenVidu's end-to-end tests).
  [/(^|\/)[\w.-]+[-_]tests?[-_][\w.-]+\//, 'a test module'],
  // ... or in one word: botkit's `packages/testbot/` ("a test harness for testing in-progress changes").
  [/(^|\/)test(bot|app|harness)s?\//, 'a test module'],
  [/(^|\/)(examples?|samples?|demos?|docs?|documentation|showcase)\//, 'example or documentation code'],
  [/(^|\/)([\w.-]+[-_])?(examples?|samples?|demos?)([-_][\w.-]+)?\//, 'example or demo code'],
  [/(^|\/)buildSrc\//, 'build tooling (buildSrc)'],
  // A CI service's scripts (`.github/bot-scripts/post-release-notes.js`): they run in a job, not in the product.
  [/(^|\/)\.(github|circleci|gitlab|buildkite|husky)\//, 'CI scripts'],
  // Any other dot-folder is a tool's configuration and plugins (`.opencode/plugins/`, `.mvn/wrapper/`, `.storybook/`,
  // `.vscode/`): nothing in the product runs from there.
  [/(^|\/)\.(?!well-known\/)[\w-]+\//, "a tool's dot-folder"],
  // Scripts and command-line tools: a hung download or an unclosed socket there dies with the process.
  [/(^|\/)(scripts?|extras?|tools?|bin|release|releases)\//, 'a scripts or tooling folder'],
  [/(^|\/)([\w.-]+[-_])?cli([-_][\w.-]+)?\//, 'a command-line tool'],
  [DEV_FOLDER, 'development-only code (a dev folder)'],
  // Demo or initial data loaded once, by hand or at setup (knex and Sequelize seeds, a template's seed endpoint), or
  // fake data made for trying the product out (RSD's `data-generation/`, SkyWalking's `data-generator/`).
  [/(^|\/)(seeds?|seeders?|seed-data|data-generation|data-generators?|fake-data|mock-data)\//, 'a data seeding or generation folder'],
];

/** The folders of TEST_FOLDERS that hold test suites proper (isTestSuitePath). */
const TEST_SUITE_FOLDERS: readonly RegExp[] = TEST_FOLDERS.filter(([, reason]) => /^a test (source set|folder)$|^an end-to-end/.test(reason)).map(([pattern]) => pattern);

/** File names of tests: JUnit/TestNG classes, `*.spec.ts`, `*.test.js`, `foo_test.js`. */
const TEST_FILES: readonly [RegExp, string][] = [
  [/(^|\/)(\w+(Tests?|IT|ITCase|TestCase|Benchmark)|Test\w+)\.java$/, 'a test class'],
  [/\.(spec|test|e2e|bench)\.[cm]?[jt]sx?$/, 'a test file'],
  [/(^|\/)(test[_-][^/]*|[^/]*[_-]test)\.[cm]?[jt]sx?$/, 'a test file'],
  // Tests' helpers named so (DEFRA's `integration-test-helpers.js`); not an A/B test's.
  [/(^|\/)(?!ab[_-])[^/]*[_-]test[_-](helpers?|utils?|support|setup)\.[cm]?[jt]sx?$/, "a test file (the tests' helpers)"],
  [/(^|\/)seed([-_.][\w.-]*)?\.[cm]?[jt]s$/, 'a data seeding script'],
  // Database migrations, run once by the deployment (Sequelize, knex, TypeORM: a timestamped file in a migrations
  // folder; Flyway's Java migrations, `db/migration/V3__move_hosts.java`): not a path of the running server.
  [/(^|\/)migrations?\/(?:[\w.-]+\/)*\d{8,}[-_.][\w.-]*\.[cm]?[jt]s$/, 'a database migration'],
  [/(^|\/)db\/migration\/(?:[\w.-]+\/)*V\d+(?:[._]\d+)*__\w+\.java$/, 'a database migration'],
  [/(^|\/)(ava|vitest|jest|playwright|karma|wdio|cypress)\.conf(ig)?\.[cm]?[jt]s$/, "a test runner's configuration"],
  // A mock beside the code it stands in for (nocobase's src/mock-database.ts, which only test packages use).
  [/(^|\/)mock([-_.][\w.-]*|[A-Z]\w*)\.[cm]?[jt]sx?$/, 'a mock'],
];

/**
 * Node code that talks to a person at a terminal: a prompt library, or readline's question(). A server does not ask
 * for a password; a CLI login flow whose request hangs has a user with Ctrl-C in front of it.
 */
const INTERACTIVE =
  /(?:require\(\s*|from\s+)['"](?:[^'"]*\/)?(?:inquirer|enquirer|prompts?|promptly|readline-sync|@inquirer\/[\w-]+)['"]|\brl\.question\(|\breadline\.createInterface\(\s*\{?\s*input:\s*process\.stdin/;

/** `create-payload-app`, `@acme/create-app`: what `npm init <x>` downloads and runs once to start a project. */
const SCAFFOLDER = /^(@[\w.-]+\/)?create-[\w.-]+$/;

/** Electron's main or preload process (`import { app } from 'electron'`): a desktop program, no server's request waits on it. */
const ELECTRON_IMPORT = /(?:require\(\s*|from\s+)['"]electron(?:\/main|\/renderer)?['"]/;

/** The libraries command-line tools are built on. */
const CLI_FRAMEWORK = /(?:require\(\s*|from\s+)['"](?:commander|yargs|meow|cac|sade|clipanion|@oclif\/core|citty)['"]/;

/**
 * Java test support shipped in a production source set: a class that imports a test framework (riptide's
 * auto-configuration that binds a RestTemplate to Spring's MockRestServiceServer) or Testcontainers (polaris's OPA
 * startup action for its integration tests), or that extends a test or benchmark base class (kafka-rest's
 * ProducerPerformance tools, `extends AbstractPerformanceTest`). Not AssertJ, WireMock or REST Assured: their own
 * repositories, and programs that embed them, import them from production code.
 */
const JAVA_TEST_IMPORT = /^\s*import\s+(?:static\s+)?(?:org\.junit|org\.testng|org\.mockito|org\.springframework\.(?:boot\.)?test|org\.testcontainers)\./m;
const JAVA_TEST_BASE = /\bclass\s+\w+(?:<[^>{]*>)?\s+extends\s+[\w.]*(?:Test|Tests|TestCase|TestBase|Benchmark)\b/;

/**
 * A goal of a Maven plugin or a Gradle plugin's task: build tooling that runs on a developer's or CI's machine
 * (nzbhydra2's GitHub release Mojo), never in the product.
 */
const JAVA_BUILD_PLUGIN = /@Mojo\s*\(|\bextends\s+(?:org\.apache\.maven\.plugin\.)?AbstractMojo\b|\bextends\s+(?:org\.gradle\.api\.)?DefaultTask\b|\bimplements\s+(?:org\.gradle\.api\.)?Plugin<(?:org\.gradle\.api\.)?Project>/;

/**
 * A package named for examples as its last part (sockslib's `sockslib.quickstart`, `org.acme.examples`). Not
 * `com.example`, the placeholder of countless real projects, nor any package with more below it.
 */
const EXAMPLE_PACKAGE = /^\s*package\s+[\w.]+\.(?:quickstarts?|examples|samples|demos)\s*;/m;

/** A package named for tests as its last part (`org.apache.polaris.extension.auth.opa.test`); not one with more below it. */
const TEST_PACKAGE = /^\s*package\s+[\w.]+\.(?:tests?|testing|testutils?|testsupport)\s*;/m;

/** Why a Java source is test support, build tooling or example code by what it imports, extends or declares. */
function javaSupportReason(text: string): string | undefined {
  if (text.includes('import') && JAVA_TEST_IMPORT.test(text)) return 'test support: it imports a test framework';
  if (text.includes('extends') && JAVA_TEST_BASE.test(text)) return 'a test or benchmark: it extends a test base class';
  if ((text.includes('Mojo') || text.includes('Gradle') || text.includes('gradle')) && JAVA_BUILD_PLUGIN.test(text)) return 'build tooling: a Maven or Gradle plugin';
  const head = text.slice(0, 20_000);
  if (EXAMPLE_PACKAGE.test(head)) return 'example code (its package says so)';
  if (TEST_PACKAGE.test(head)) return 'test support (its package says so)';
  return undefined;
}

/**
 * Imports of test runners' and assertion libraries' APIs: a file that declares Cucumber steps, Playwright, ava or QUnit
 * tests runs under a test runner (openid-client's conformance/ and tap/ suites).
 */
const TEST_RUNNER_IMPORT =
  /(?:require\(\s*|from\s+)['"](?:@cucumber\/cucumber|cucumber|@playwright\/test|vitest|@jest\/globals|ava|qunit|tap|node:test|uvu|mocha|chai|jasmine|@japa\/runner|supertest)['"]/;

/** Whether a JavaScript/TypeScript source imports a test runner's or an assertion library's API. */
export function importsTestRunner(text: string): boolean {
  return TEST_RUNNER_IMPORT.test(text);
}

/**
 * `describe(title, () => { ... })` around `it('...', ...)` or `test('...', ...)`, with mocha's or Jest's globals (no
 * import): a suite wherever it lives (node-oidc-provider's certification runner). Not `.describe(...)` or
 * `regex.test('...')`, and not a `describe` given no callback (yargs' `.describe('opt', 'text')`).
 */
const SUITE = /(?<![.\w$])describe(?:\.\w+)?\s*\([^;]*?,\s*(?:async\s*)?(?:\(\s*\)\s*=>|function\s*\()/;
const CASE = /(?<![.\w$])(?:it|test)(?:\.\w+)?\s*\(\s*[`'"]/;

function declaresTestSuites(text: string): boolean {
  return text.includes('describe') && SUITE.test(text) && CASE.test(text);
}

/** Whether a JavaScript/TypeScript source runs under a test runner: it imports one, or declares suites with its globals. */
export function isTestSource(text: string): boolean {
  return importsTestRunner(text) || declaresTestSuites(text);
}

const DOC_COMMENT = /\/\*\*[\s\S]*?\*\//g;
/** A doc comment that calls its subject an example (`Foursquare API example.`), not one that gives one. */
const CALLS_ITSELF_EXAMPLE = /\bexamples?\b/i;
const GIVES_EXAMPLE = /@example\b[\s\S]*|\bfor examples?\b/gi;

/**
 * A file whose doc comments call most of what it declares an example, five times or more: a boilerplate's API
 * examples gallery (hackathon-starter's controllers/api.js), which its users are told to delete.
 */
function describesItselfAsExamples(text: string): boolean {
  if (!/xample/.test(text)) return false;
  let docs = 0;
  let examples = 0;
  for (const [doc] of text.matchAll(DOC_COMMENT)) {
    docs++;
    if (CALLS_ITSELF_EXAMPLE.test(doc.replace(GIVES_EXAMPLE, ''))) examples++;
  }
  return examples >= 5 && examples * 2 >= docs;
}

/**
 * The folders of a path that can say "test": a Java file's package folders (`com/example/`) say nothing about the
 * code, nor does anything below a JVM source set (`src/main/java/...`).
 */
function folders(path: string, text: string | undefined): string {
  const pkg = text !== undefined && path.endsWith('.java') ? /^\s*package\s+([\w.]+)\s*;/m.exec(text.slice(0, 20_000)) : null;
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const packageDirs = pkg ? `${pkg[1].replace(/\./g, '/')}/` : '';
  const outside = packageDirs && dir.endsWith(packageDirs) && (dir.length === packageDirs.length || dir[dir.length - packageDirs.length - 1] === '/')
    ? dir.slice(0, dir.length - packageDirs.length)
    : dir;
  return outside.replace(/((?:^|\/)src\/[\w-]+\/)(java|kotlin|scala|groovy)\/.*$/, '$1');
}

/** True for development-only code by its path (a `dev/` folder): what only tests or it import is no product code. */
export function isDevelopmentPath(path: string): boolean {
  return DEV_FOLDER.test(path);
}

/**
 * True for a test suite's own files by their path: test classes and files, test source sets and folders, end-to-end
 * suites; not the scripts, examples and tools that count as test code too.
 */
export function isTestSuitePath(path: string): boolean {
  return TEST_FILES.some(([pattern, reason]) => reason !== 'a data seeding script' && pattern.test(path)) || TEST_SUITE_FOLDERS.some((pattern) => pattern.test(path));
}

/**
 * Why `path` (workspace-relative, forward slashes) is test code, or undefined for production code. `text`, when
 * given, lets a Java file's package tell its package folders from the project's.
 */
export function testCodeReason(
  path: string,
  facts?: Pick<WorkspaceFacts, 'projects' | 'testRoots'> & Partial<Pick<WorkspaceFacts, 'builds' | 'testOnlyModules'>>,
  text?: string,
): string | undefined {
  for (const [pattern, reason] of TEST_FILES) if (pattern.test(path)) return reason;
  if (text?.startsWith('#!') && /\.[cm]?[jt]s$/.test(path)) return 'a command-line script (#!)';
  if (text !== undefined && /\.[cm]?[jt]sx?$/.test(path)) {
    if (INTERACTIVE.test(text)) return 'interactive command-line code (it prompts at a terminal)';
    if (importsTestRunner(text)) return 'a test: it imports a test runner';
    if (declaresTestSuites(text)) return "a test: it declares describe/it suites with a test runner's globals";
    if (text.includes('electron') && ELECTRON_IMPORT.test(text)) return 'an Electron desktop app (it imports electron)';
    if (/(^|\/)cli\.[cm]?[jt]s$/.test(path) && CLI_FRAMEWORK.test(text)) return 'a command-line tool (cli.* built on a CLI framework)';
  }
  if (text !== undefined && path.endsWith('.java')) {
    const support = javaSupportReason(text);
    if (support !== undefined) return support;
  }
  if (text !== undefined && describesItselfAsExamples(text)) return 'example code (its doc comments say so)';
  const outsidePackages = folders(path, text);
  for (const [pattern, reason] of TEST_FOLDERS) if (pattern.test(outsidePackages)) return reason;
  if (!facts) return undefined;
  const project = projectOf(facts, path);
  const builds = facts.builds?.filter((b) => b.project === project) ?? [];
  if (builds.some((b) => b.bin && SCAFFOLDER.test(b.packageName ?? ''))) {
    return 'a project scaffolder (a create-* package with a command, run once by npm init)';
  }
  if (builds.some((b) => b.commandLineTool)) return 'a command-line tool (its package.json installs a command and says it is a CLI)';
  if (builds.some((b) => b.desktop)) return 'an Electron desktop app (its package depends on electron)';
  // The site's own packages too (crawlee's website/roa-loader, a loader with a package.json of its own). Not the
  // workspace's root: a monorepo that builds its docs from there holds the product too.
  if (facts.builds?.some((b) => b.docsSite && b.project !== '' && path.startsWith(`${b.project}/`))) {
    return 'a documentation website (its package is built on a docs-site generator)';
  }
  if (facts.testOnlyModules && isListed(facts.testOnlyModules, path)) return 'a test or development helper: only tests or development-only code import it';
  // Build files name their scripts and test roots relative to the project.
  const inside = project && path.startsWith(`${project}/`) ? path.slice(project.length + 1) : path;
  if (builds.some((b) => b.devScripts?.includes(inside))) return 'a build or maintenance script (its package.json runs it)';
  if (facts.testRoots.length === 0) return undefined;
  for (const root of facts.testRoots) {
    if (root.project === project && inside.startsWith(`${root.folder}/`)) return `a test root declared in ${root.origin}`;
  }
  return undefined;
}
