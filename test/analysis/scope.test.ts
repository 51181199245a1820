// Which code the default profile looks at: test code, browser code and machine-made files are told apart from
// production server code by their paths, their contents and what the build files say.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyzeText, loadAllLanguages, type FileAnalysis, type TextAnalysis } from '../../src/analysis';
import { gatherFacts } from '../../src/analysis/facts';
import { browserCodeReason, leadingDirective, surelyClient } from '../../src/analysis/scope/browser-code';
import { generatedReason, vendoredFolderReason } from '../../src/analysis/scope/generated';
import { testCodeReason } from '../../src/analysis/scope/test-code';

before(loadAllLanguages);

function analysed(result: TextAnalysis): FileAnalysis {
  if (result.skipped !== undefined) assert.fail(`skipped: ${result.skipped}`);
  return result;
}

describe('test code', () => {
  const tests = [
    'core/src/test/java/org/acme/ClientTest.java',
    'src/it/java/org/acme/Smoke.java',
    'src/main/java/org/acme/ClientTests.java',
    'src/main/java/org/acme/ClientIT.java',
    'src/main/java/org/acme/TestServer.java',
    'test/server.js',
    'packages/core/tests/retry.ts',
    'lib/__tests__/fetch.js',
    'lib/fetch.spec.ts',
    'lib/fetch.test.mjs',
    'e2e/login.ts',
    'benchmarks/throughput.js',
    'bench/keystroke.ts',
    'src/jmh/java/org/acme/ParseBench.java',
    'test-utils/server.ts',
    'src/fixtures/leaky.ts',
    'src/mocks/server.ts',
    'lib/http_test.js',
    'migrations/archives/201706030000-add-HostId.js',
    'packages/db/src/migrations/1689763125000-AddHosts.ts',
    'src/main/java/db/migration/V3__move_hosts.java',
    'examples/spring-service/src/main/java/com/example/reports/ReportController.java',
    'docs/examples/socks5-proxy.js',
    'eureka-examples/src/main/java/com/netflix/eureka/ExampleServiceBase.java',
    'sentinel-demo/sentinel-demo-okhttp/src/main/java/Demo.java',
    'roncoo-pay-web-sample-shop/src/main/java/com/roncoo/pay/controller/AuthController.java',
    'shenyu-integrated-test/shenyu-integrated-test-common/src/main/java/HttpHelper.java',
    // Apollo Server's suite that integrations run in their own tests (@apollo/server-integration-testsuite).
    'packages/integration-testsuite/src/apolloFetch.ts',
    // Botkit's harness for trying changes out (packages/testbot/features/flip_table.js).
    'packages/testbot/features/flip_table.js',
    'openvidu-test-browsers/src/main/java/io/openvidu/test/browsers/utils/CustomHttpClient.java',
    'buildSrc/src/main/java/org/zaproxy/zap/tasks/Send.java',
    'extra/download-dist.js',
    'extras/translator/index.mjs',
    'scripts/release.mjs',
    'bin/pm2',
    'cli/src/main/java/hudson/cli/CLI.java',
    'lib/API/pm2-cli/auth.js',
    'rocketmq-connect-cli/src/main/java/org/apache/rocketmq/connect/cli/utils/RestSender.java',
    'features/step_definitions/documents-steps.ts',
    'features-legacy/step_definitions/http.ts',
    'mvis/test-embed/index.js',
    '.github/bot-scripts/post-release-notes.js',
    // An AI coding agent's plugin (mockserver's .opencode/plugins/buildkite-status.ts), Maven's wrapper downloader.
    '.opencode/plugins/buildkite-status.ts',
    '.mvn/wrapper/MavenWrapperDownloader.java',
    'e2e-app/src/server.ts',
    'templates/website/src/endpoints/seed/index.ts',
    'db/seeds/01_users.js',
    'data-generation/main.js',
    'oap-server/server-tools/data-generator/src/main/java/Generator.java',
    'prisma/seed.ts',
    // mountebank's functional tests and their TCP client.
    'mbTest/api/tcp/tcpClient.js',
    'src/smokeTests/checks.ts',
    // Jest-style end-to-end and fixture folders (mempool's backend/src/__e2e__/ harness and its RPC client).
    'backend/src/__e2e__/cluster-mempool/harness/rpc-client.ts',
    'lib/__fixtures__/server.js',
    'src/routes/v1/summary-logs/integration-test-helpers.js',
    // Development-only routes, pages and controllers (almondyoung's wallet-web and wallet).
    'apps/wallet-web/app/api/dev/points/earn/route.ts',
    'web/auth-web/app/dev/oidc-clients/actions.ts',
    'apps/wallet/src/dev/cms-dev.controller.ts',
  ];
  for (const path of tests) test(`${path} is test code`, () => assert.ok(testCodeReason(path), path));

  const production = [
    'src/main/java/org/acme/HttpClientFactory.java',
    // A dot in a file or folder name that does not start it.
    'packages/socket.io-server/lib/index.js',
    'src/main/resources/.well-known/../app.js'.replace('/../', '/'),
    'src/main/java/org/acme/Contest.java',
    'lib/latest.js',
    'server/contest.ts',
    'src/attestation/verify.ts',
    'spring-service/src/main/java/com/example/reports/ReportController.java',
    'src/main/java/org/acme/demographics/Census.java',
    'src/main/java/com/example/test/Checks.java',
    'src/main/java/org/acme/docs/Renderer.java',
    'packages/latest-index/index.js',
    'services/testimonial-service/index.js',
    'acme-resample-svc/src/main/java/org/acme/Resampler.java',
    'acme-client-svc/src/main/java/org/acme/Clients.java',
    'tester/src/main/java/org/acme/Probe.java',
    'src/seedling/grow.ts',
    'src/generation/data.ts',
    'src/torrent/seeding.ts',
    // A migrations folder's helpers, and timestamped files outside one, are code like any other.
    'server/migrations/helpers.ts',
    'server/lib/20230101-report.ts',
    'src/main/java/org/acme/migration/V3__Mover.java',
    // An A/B test is a feature, and a word ending in "test" is no test.
    'src/abTest/assign.ts',
    'src/features/abTests/variants.ts',
    'src/contest/rank.ts',
    'src/latestTests.ts',
    'src/experiments/ab-test-helpers.ts',
    // A user's own debug pages are the product's (inbox-zero), as are folders that only start with "dev".
    'apps/web/app/api/user/debug/rules/route.ts',
    'src/devices/pair.ts',
    'src/main/java/dev/langchain4j/internal/Utils.java',
  ];
  for (const path of production) test(`${path} is production code`, () => assert.equal(testCodeReason(path), undefined, path));

  test('a file that imports a test runner\'s API is a test, wherever it lives', () => {
    assert.match(testCodeReason('acceptance/api-steps.ts', undefined, "import { When } from '@cucumber/cucumber';\nfetch(url);\n") ?? '', /test runner/);
    assert.match(testCodeReason('checks/login.ts', undefined, "import { test, expect } from '@playwright/test';\n") ?? '', /test runner/);
    assert.equal(testCodeReason('src/browser.ts', undefined, "import { chromium } from 'playwright-core';\n"), undefined);
    // openid-client's conformance harness (ava) and end-to-end suite (QUnit), outside any test folder.
    assert.match(testCodeReason('conformance/runner.ts', undefined, "import test from 'ava';\nawait fetch(url);\n") ?? '', /test runner/);
    assert.match(testCodeReason('tap/end2end.ts', undefined, "import type QUnit from 'qunit';\nexport default (QUnit: QUnit) => {};\n") ?? '', /test runner/);
    assert.match(testCodeReason('ava.config.ts', undefined, "export default { files: ['conformance/**'] };\n") ?? '', /test runner's configuration/);
    assert.equal(testCodeReason('src/tapper.ts', undefined, "import { tap } from 'rxjs';\n"), undefined);
  });

  test("a file that declares describe/it suites with mocha's or Jest's globals is a test (node-oidc-provider's certification runner)", () => {
    const runner = "import API from './api.js';\ndescribe(PLAN_NAME, () => {\n  it('creates test plan', async () => { await API.createPlan(); });\n  test(`${name}`, async () => {});\n});\n";
    assert.match(testCodeReason('certification/runner/index.js', undefined, runner) ?? '', /describe\/it suites/);
    assert.match(testCodeReason('checks/legacy.js', undefined, "describe('login', function () {\n  it('works', function () {});\n});\n") ?? '', /describe\/it suites/);
    // Production code with a `describe` or a `test(...)` of its own.
    assert.equal(testCodeReason('src/cli-options.js', undefined, "yargs.describe('port', 'the port', () => {});\nif (/x/.test('y')) run();\n"), undefined);
    assert.equal(testCodeReason('src/schema.ts', undefined, "export const describe = (name, fn) => registry.set(name, fn);\ndescribe('user', () => {});\n"), undefined);
    assert.equal(testCodeReason('src/filter.ts', undefined, "describe(model, () => null);\nconst ok = pattern.test('abc') && it(item);\n"), undefined);
  });

  test("a file whose doc comments call most of it examples is example code (hackathon-starter's API gallery)", () => {
    const handler = (name: string, doc: string) => `/**\n * GET /api/${name}\n * ${doc}\n */\nexports.get${name} = async (req, res) => res.json(await (await fetch(url)).json());\n`;
    const gallery = ['Foursquare API example.', 'GitHub API Example.', 'Web scraping example using Cheerio.', 'Stripe API example.', 'Twilio API example.', 'Rate limits.'];
    assert.match(testCodeReason('controllers/api.js', undefined, gallery.map((d, i) => handler(`x${i}`, d)).join('')) ?? '', /example code/);
    // Doc comments that give examples (an @example tag, "for example") describe production code.
    const documented = ['Lists users. @example GET /users', 'Creates a user, for example from a form.', 'Deletes a user. @example DELETE /users/1', 'Example: none', 'Reads a user.'];
    assert.equal(testCodeReason('controllers/users.js', undefined, documented.map((d, i) => handler(`u${i}`, d)).join('')), undefined);
    const fewer = ['Foursquare API example.', 'GitHub API Example.', 'Stripe API example.', 'Users.', 'Orders.', 'Billing.', 'Health.'];
    assert.equal(testCodeReason('controllers/api.js', undefined, fewer.map((d, i) => handler(`y${i}`, d)).join('')), undefined);
  });

  test('a Node script with a #! line is a command-line script', () => {
    assert.match(testCodeReason('lib/publish.js', undefined, '#!/usr/bin/env node\nfetch(url);\n') ?? '', /command-line/);
    assert.equal(testCodeReason('lib/publish.js', undefined, 'fetch(url);\n'), undefined);
  });

  test('Node code that prompts at a terminal is command-line code; a server that reads lines is not', () => {
    for (const text of [
      "const promptly = require('../../tools/prompt');\nfetch(url);\n",
      "import inquirer from 'inquirer';\nawait fetch(url);\n",
      "const rl = readline.createInterface({ input: process.stdin });\nrl.question('Password? ', login);\n",
    ]) {
      assert.match(testCodeReason('lib/auth/login.js', undefined, text) ?? '', /interactive/, text);
    }
    const server = "const rl = readline.createInterface({ input: socket });\nrl.on('line', answer);\nawait fetch(url);\n";
    assert.equal(testCodeReason('lib/server/lines.js', undefined, server), undefined);
  });

  test("a Java file's package folders say nothing, wherever the scan started", () => {
    const text = 'package com.example.reports;\nclass ReportController {}\n';
    assert.equal(testCodeReason('java/com/example/reports/ReportController.java', undefined, text), undefined);
    assert.equal(testCodeReason('com/example/reports/ReportController.java', undefined, text), undefined);
    assert.match(testCodeReason('examples/java/com/example/reports/ReportController.java', undefined, text) ?? '', /example/);
  });

  test("a Java class that imports a test framework or extends a test base class is test support, in src/main too (riptide, kafka-rest)", () => {
    const mockServer =
      'package org.zalando.riptide.autoconfigure;\nimport org.springframework.test.web.client.MockRestServiceServer;\nimport org.springframework.web.client.RestTemplate;\n' +
      'public class RiptideTestAutoConfiguration {\n  RestTemplate mockRestTemplate() { return new RestTemplate(); }\n}\n';
    assert.match(testCodeReason('autoconfigure/src/main/java/org/zalando/riptide/autoconfigure/RiptideTestAutoConfiguration.java', undefined, mockServer) ?? '', /imports a test framework/);
    const junit = 'package org.acme;\nimport static org.junit.jupiter.api.Assertions.assertEquals;\nclass Checks {}\n';
    assert.match(testCodeReason('src/main/java/org/acme/Checks.java', undefined, junit) ?? '', /imports a test framework/);
    const perf = 'package io.confluent.kafkarest.tools;\npublic class ProducerPerformance extends AbstractPerformanceTest {\n  public static void main(String[] args) {}\n}\n';
    assert.match(testCodeReason('kafka-rest/src/main/java/io/confluent/kafkarest/tools/ProducerPerformance.java', undefined, perf) ?? '', /extends a test base class/);
    // Build tooling: a Maven plugin's goal (nzbhydra2's GitHub release Mojo), a Gradle plugin's task.
    const mojo = 'package org.nzbhydra.github;\nimport org.apache.maven.plugin.AbstractMojo;\n@Mojo(name = "release")\npublic class ReleaseMojo extends AbstractMojo {}\n';
    assert.match(testCodeReason('other/github-release-plugin/src/main/java/org/nzbhydra/github/ReleaseMojo.java', undefined, mojo) ?? '', /Maven or Gradle plugin/);
    const task = 'package org.acme.build;\nimport org.gradle.api.DefaultTask;\npublic class Publish extends DefaultTask {}\n';
    assert.match(testCodeReason('plugin/src/main/java/org/acme/build/Publish.java', undefined, task) ?? '', /Maven or Gradle plugin/);
    // Testcontainers, and a package named for tests as its last part (polaris's OPA startup action), not one below it.
    const opa = 'package org.apache.polaris.extension.auth.opa.test;\nimport java.net.HttpURLConnection;\npublic class OpaStartupAction {}\n';
    assert.match(testCodeReason('extensions/auth/opa/src/opaStartupAction/java/org/apache/polaris/extension/auth/opa/test/OpaStartupAction.java', undefined, opa) ?? '', /test support \(its package says so\)/);
    const container = 'package org.acme.dev;\nimport org.testcontainers.containers.GenericContainer;\npublic class Opa {}\n';
    assert.match(testCodeReason('src/main/java/org/acme/dev/Opa.java', undefined, container) ?? '', /imports a test framework/);
    assert.equal(testCodeReason('src/main/java/org/acme/test/results/Api.java', undefined, 'package org.acme.test.results;\npublic class Api {}\n'), undefined);
    assert.equal(testCodeReason('src/main/java/org/acme/abtest/Api.java', undefined, 'package org.acme.abtest;\npublic class Api {}\n'), undefined);
    // A package named for examples as its last part (sockslib.quickstart), not com.example nor one below it.
    const quickstart = 'package sockslib.quickstart;\npublic class TCPTimeServer {}\n';
    assert.match(testCodeReason('other/sockslib/src/main/java/sockslib/quickstart/TCPTimeServer.java', undefined, quickstart) ?? '', /example code/);
    for (const text of ['package com.example;\npublic class Api {}\n', 'package org.acme.examples.store;\npublic class Store {}\n']) {
      assert.equal(testCodeReason('src/main/java/org/acme/Api.java', undefined, text), undefined, text);
    }
    // Production code: a word that only ends in "test", an assertion library some products embed, a comment.
    for (const text of [
      'package org.acme;\npublic class Ranking extends Contest {}\n',
      'package org.acme;\nimport org.assertj.core.api.Assertions;\npublic class Verifier {}\n',
      'package org.acme;\n// import org.junit.Test; was used here once\npublic class Client extends BaseClient {}\n',
    ]) {
      assert.equal(testCodeReason('src/main/java/org/acme/Ranking.java', undefined, text), undefined, text);
    }
  });

  test('test roots declared by Gradle source sets and Maven testSourceDirectory', () => {
    const facts = gatherFacts([
      { path: 'svc/build.gradle', text: "sourceSets {\n  integration {\n    java { srcDir 'src/integration/java' }\n  }\n  main { java { srcDir 'src/main/java' } }\n}\n" },
      { path: 'kts/build.gradle.kts', text: 'sourceSets {\n  val functionalTest by creating {\n    java.srcDir("src/functional/java")\n  }\n}\n' },
      { path: 'old/pom.xml', text: '<project><build><testSourceDirectory>${project.basedir}/qa/java</testSourceDirectory></build></project>' },
    ]);
    assert.match(testCodeReason('svc/src/integration/java/org/acme/Flow.java', facts) ?? '', /svc\/build\.gradle/);
    assert.match(testCodeReason('kts/src/functional/java/org/acme/Flow.java', facts) ?? '', /build\.gradle\.kts/);
    assert.match(testCodeReason('old/qa/java/org/acme/Flow.java', facts) ?? '', /pom\.xml/);
    assert.equal(testCodeReason('svc/src/main/java/org/acme/Flow.java', facts), undefined);
    assert.equal(testCodeReason('other/src/integration/java/org/acme/Flow.java', facts), undefined, 'another project');
  });

  test("a create-* package with a command is a scaffolder run once by npm init; a package only named so, or a daemon's command, is not", () => {
    const pkg = (dir: string, json: object) => ({ path: `${dir}/package.json`, text: JSON.stringify(json) });
    const facts = gatherFacts([
      pkg('packages/create-acme-app', { name: 'create-acme-app', bin: { 'create-acme-app': 'bin/cli.js' } }),
      pkg('packages/create-helpers', { name: '@acme/create-helpers' }),
      pkg('packages/daemon', { name: 'acme-daemon', bin: { acmed: 'bin/acmed.js' } }),
    ]);
    assert.match(testCodeReason('packages/create-acme-app/src/lib/download.ts', facts) ?? '', /scaffolder/);
    assert.equal(testCodeReason('packages/create-helpers/src/index.ts', facts), undefined);
    assert.equal(testCodeReason('packages/daemon/src/server.ts', facts), undefined);
  });

  test("a package that installs a command, calls itself a CLI (or tells to run the command with npx) and exports no API is a command-line tool (novu's `novu`); a server's command or a library with a CLI is not", () => {
    const pkg = (dir: string, json: object) => ({ path: `${dir}/package.json`, text: JSON.stringify(json) });
    const facts = gatherFacts([
      pkg('packages/novu', { name: 'novu', description: 'Novu CLI. Run Novu Studio and sync workflows', main: 'src/index.js', bin: { novu: './dist/src/index.js' } }),
      pkg('packages/irc', { name: 'irc-web', description: 'The self-hosted web IRC client', bin: { irc: 'index.js' } }),
      pkg('packages/lint', { name: 'acme-lint', description: 'A linter with a command-line interface', types: 'index.d.ts', bin: { lint: 'cli.js' } }),
      // quilltap's launcher tells to run its command with npx; its other commands call the server it started.
      pkg('packages/quilltap', { name: 'quilltap', description: 'Self-hosted AI workspace for writers. Run with npx quilltap.', bin: { quilltap: 'bin/quilltap.js' } }),
      pkg('packages/notes', { name: 'notes', description: 'Self-hosted notes; its importer runs with npx notes-import.', bin: { notes: 'bin/notes.js' } }),
    ]);
    assert.match(testCodeReason('packages/novu/src/commands/sync.ts', facts) ?? '', /command-line tool/);
    assert.match(testCodeReason('packages/quilltap/lib/docs-commands.js', facts) ?? '', /command-line tool/);
    assert.equal(testCodeReason('packages/irc/src/server.ts', facts), undefined);
    assert.equal(testCodeReason('packages/lint/src/fetch-rules.ts', facts), undefined);
    assert.equal(testCodeReason('packages/notes/src/sync.ts', facts), undefined, 'npx names a command the package does not install');
  });

  test("a file a package.json build or maintenance script runs is a developer's script (ThingsBoard's icon metadata, Botpress's model list); what start or a worker runs is the product", () => {
    const pkg = (dir: string, json: object) => ({ path: `${dir}/package.json`, text: JSON.stringify(json) });
    const facts = gatherFacts([
      pkg('ui-ngx', { name: 'ui', scripts: { 'build:icon-metadata': 'node generate-icon-metadata.js', start: 'ng serve' } }),
      pkg('packages/cognitive', { name: '@bp/cognitive', scripts: { 'refresh:models': 'ts-node -T ./refresh-models.ts && pnpm fmt src/models.ts' } }),
      pkg('integrations/instagram', { name: 'instagram', scripts: { refreshTokens: 'ts-node -T ./refreshTokens.ts' } }),
      pkg('server', {
        name: 'server',
        scripts: { start: 'node src/app.js', worker: 'node src/worker.js', 'build:server': 'node src/build-server.js', 'db:migrate': 'cross-env NODE_ENV=production node src/run-migrations.js up' },
      }),
    ]);
    assert.match(testCodeReason('ui-ngx/generate-icon-metadata.js', facts) ?? '', /maintenance script/);
    assert.match(testCodeReason('packages/cognitive/refresh-models.ts', facts) ?? '', /maintenance script/);
    assert.match(testCodeReason('server/src/run-migrations.js', facts) ?? '', /maintenance script/);
    assert.match(testCodeReason('integrations/instagram/refreshTokens.ts', facts) ?? '', /maintenance script/);
    assert.equal(testCodeReason('packages/cognitive/src/models.ts', facts), undefined);
    assert.equal(testCodeReason('server/src/app.js', facts), undefined);
    assert.equal(testCodeReason('server/src/worker.js', facts), undefined);
    assert.equal(testCodeReason('server/src/build-server.js', facts), undefined, 'a script named for the server too');
    // mempool's front end downloads its assets at build time (`"sync-assets": "... && node sync-assets.js 'dist/'"`).
    const mempool = gatherFacts([pkg('frontend', { name: 'mempool-frontend', scripts: { 'sync-assets': "npm run copy-themes && node sync-assets.js 'dist/resources/'" } })]);
    assert.match(testCodeReason('frontend/sync-assets.js', mempool) ?? '', /maintenance script/);
  });

  test("a package built on a documentation-site generator is a website of docs (crawlee's Docusaurus loader); a web app is not", () => {
    const pkg = (dir: string, json: object) => ({ path: `${dir}/package.json`, text: JSON.stringify(json) });
    const facts = gatherFacts([
      { path: 'package.json', text: JSON.stringify({ name: 'monorepo', private: true, devDependencies: { '@docusaurus/core': '3.8.0' } }) },
      pkg('website', { name: 'site', dependencies: { '@docusaurus/core': '3.8.0', react: '18' } }),
      pkg('server', { name: 'server', dependencies: { express: '4', vitepress: '1.6.0' } }),
      pkg('docs-app', { name: 'docs', devDependencies: { vitepress: '1.6.0' } }),
      pkg('website/roa-loader', { name: 'roa-loader', dependencies: { 'node-fetch': '3' } }),
      pkg('web', { name: 'web', dependencies: { next: '15', react: '18' } }),
    ]);
    assert.match(testCodeReason('website/roa-loader/index.js', facts) ?? '', /documentation website/, 'a package of the site');
    assert.match(testCodeReason('website/src/pages/index.js', facts) ?? '', /documentation website/);
    assert.match(testCodeReason('docs-app/loaders/stars.data.ts', facts) ?? '', /documentation website/);
    assert.equal(testCodeReason('web/app/api/route.ts', facts), undefined);
    assert.equal(testCodeReason('src/client.ts', facts), undefined, "the root builds the docs, and holds the product too");
    assert.equal(testCodeReason('server/src/app.js', facts), undefined, 'a server that builds its docs too');
  });

  test("an Electron app's process is a desktop program (mockoon's update check), not a server", () => {
    const update = "import { app, BrowserWindow } from 'electron';\nexport const check = async (w: BrowserWindow) => (await fetch('https://example.com/latest.json')).json();\n";
    assert.match(testCodeReason('packages/app/src/main/libs/update.ts', undefined, update) ?? '', /Electron/);
    assert.match(testCodeReason('src/main.js', undefined, "const { app } = require('electron');\n") ?? '', /Electron/);
    assert.equal(testCodeReason('src/server.ts', undefined, "import electronLog from 'electron-log';\n"), undefined);
  });

  test("seed scripts by name: seed.ts and its siblings (trigger.dev's seed-webhook-deliveries.ts), not a seeder service", () => {
    assert.match(testCodeReason('apps/webapp/seed.ts') ?? '', /seeding/);
    assert.match(testCodeReason('apps/webapp/seed-webhook-deliveries.ts') ?? '', /seeding/);
    assert.equal(testCodeReason('src/services/seedling.ts'), undefined);
  });

  test("an Electron app's package, a cli.* on a CLI framework, a mock module: not server code (insomnia, nocobase)", () => {
    const pkg = (dir: string, json: object) => ({ path: `${dir}/package.json`, text: JSON.stringify(json) });
    const facts = gatherFacts([pkg('packages/app', { name: 'app', main: 'src/main.min.js', devDependencies: { electron: '31.4.0' } }), pkg('packages/api', { name: 'api', dependencies: { express: '4' } })]);
    assert.match(testCodeReason('packages/app/src/common/import.ts', facts) ?? '', /Electron/);
    assert.equal(testCodeReason('packages/api/src/import.ts', facts), undefined);
    assert.match(testCodeReason('packages/inso/src/cli.ts', undefined, "import * as commander from 'commander';\n") ?? '', /command-line tool/);
    assert.equal(testCodeReason('packages/api/src/cli.ts', undefined, "import { start } from './server';\nstart();\n"), undefined);
    assert.match(testCodeReason('packages/core/database/src/mock-database.ts') ?? '', /mock/);
    assert.match(testCodeReason('src/mockServer.ts') ?? '', /mock/);
    assert.equal(testCodeReason('src/mockingbird.ts'), undefined);
  });

  test('end-to-end suites named for their runner are test code; a scraper\'s own playwright folder under src is not', () => {
    assert.match(testCodeReason('apps/web/playwright/mailhog.ts') ?? '', /end-to-end/);
    assert.match(testCodeReason('cypress/support/commands.ts') ?? '', /end-to-end/);
    assert.equal(testCodeReason('src/playwright/browser.ts'), undefined);
  });
});

describe('browser code', () => {
  const server = "import http from 'node:http';\n";
  test('the DOM, front-end frameworks and JSX make browser code', () => {
    assert.match(browserCodeReason('src/ui/list.js', "document.querySelector('#list').append(item);\n") ?? '', /DOM/);
    assert.match(browserCodeReason('src/ui/list.js', "const token = localStorage.getItem('token');\n") ?? '', /DOM/);
    // jQuery at the start of a line (puter's desktop GUI): `$` is no word character, so no word boundary precedes it.
    assert.match(browserCodeReason('src/gui/src/UI/UIWindowSearch.js', "$(document).on('click', '.result', async () => {\n  await fetch(`${api}/search`);\n});\n") ?? '', /DOM/);
    assert.equal(browserCodeReason('src/scrape.js', "const $ = load(html);\nconst page = render$(document);\nfetch(url);\n"), undefined, 'only a call of $ itself');
    assert.match(browserCodeReason('src/ui/list.ts', "import { ref } from 'vue';\n") ?? '', /front-end framework/);
    assert.match(browserCodeReason('src/ui/List.tsx', 'export const List = () => null;\n') ?? '', /JSX/);
    assert.match(browserCodeReason('src/main/webapp/scripts/app.js', 'fetch(url);\n') ?? '', /browser scripts/);
    // An API client package of a web console, which names no framework: it asks for the browser's cookies.
    assert.match(browserCodeReason('ui/packages/api-client/entry/client.ts', "const api = axios.create({ baseURL: '', withCredentials: true });\n") ?? '', /cookies/);
    assert.match(browserCodeReason('packages/dashboard/src/lib/network.ts', "export const get = (url: string) => fetch(API_URI + url, { credentials: 'include' });\n") ?? '', /cookies/);
    // A Next.js app's client helpers (linkwarden): a React component library, or a fetch of a page-relative URL.
    assert.match(browserCodeReason('apps/web/lib/client/getUser.ts', "import { toast } from 'react-hot-toast';\nfetch(url);\n") ?? '', /front-end framework/);
    assert.match(browserCodeReason('apps/web/lib/client/getData.ts', 'const res = await fetch("/api/v1/public/collections/" + id);\n') ?? '', /relative/);
    assert.match(browserCodeReason('src/store/version.ts', "import { create } from 'zustand';\nfetch(url);\n") ?? '', /front-end framework/);
    assert.equal(browserCodeReason('lib/mail.ts', "import { render } from 'react-email';\nfetch(url);\n"), undefined, 'react-email renders on servers');
    assert.equal(browserCodeReason('lib/proxy.ts', 'await fetch("//cdn.example.com/x.js");\nawait fetch(`${base}/api`);\n'), undefined);
    // A Redux single-page app's action creators (yapi's client/reducer/modules): the axios module asked for a
    // page-relative URL, or antd's toasts; unless the file gives axios a base URL, which a server may do.
    assert.match(browserCodeReason('client/reducer/modules/news.js', "import axios from 'axios';\nexport const f = () => axios.get('/api/log/list', { params });\n") ?? '', /relative/);
    assert.match(browserCodeReason('exts/plugin/mockColReducer.js', "import axios from 'axios'\nimport { message } from 'antd';\naxios.get(url);\n") ?? '', /front-end framework/);
    assert.equal(browserCodeReason('server/sync.js', "axios.defaults.baseURL = process.env.API;\nawait axios.get('/v1/items');\n"), undefined);
    assert.equal(browserCodeReason('server/sync.js', "const api = axios.create({ baseURL });\nawait api.get('/v1/items');\n"), undefined);
    // A service worker (thelounge's client/service-worker.js, outside any folder of browser scripts).
    const worker = "self.addEventListener('fetch', (event) => event.respondWith(fetch(event.request)));\n";
    assert.match(browserCodeReason('client/service-worker.js', worker) ?? '', /service worker/);
    assert.match(browserCodeReason('client/sw.js', "importScripts('workbox-sw.js');\nfetch(url);\n") ?? '', /service worker/);
    // A client module by its directive, whatever it imports (an R2 upload handler the admin page runs).
    assert.match(browserCodeReason('src/client/R2Upload.ts', "'use client'\nimport { formatURL } from 'lib';\nexport const up = (u: string) => fetch(formatURL(u));\n") ?? '', /use client/);
    // A WebExtension's background worker (joplin's web clipper) talks to the browser's extension APIs.
    const extension = "const browser_ = typeof browser !== 'undefined' ? browser : chrome;\nbrowser_.runtime.onMessage.addListener(async (m) => { await fetch(m.url, { method: 'POST' }); });\n";
    assert.match(browserCodeReason('packages/app-clipper/service_worker.mjs', extension) ?? '', /browser-extension/);
    const alarms = "chrome.alarms.onAlarm.addListener(async () => {\n  const c = await chrome.cookies.getAll({ url: 'https://x.com' });\n  await fetch('https://api.example.com/refresh', { method: 'POST', body: JSON.stringify(c) });\n});\n";
    assert.match(browserCodeReason('apps/extension/src/background.ts', alarms) ?? '', /browser-extension/);
  });

  test("a module's leading directive is read past any comments, in time on a file of many (FreeFeed's hung a regex)", () => {
    const comments = '/* a */\n// b\n'.repeat(5_000);
    assert.equal(leadingDirective(`${comments}'use client';\nexport const x = 1;\n`), 'use client');
    assert.equal(leadingDirective(`${comments}/* unterminated`), undefined);
    assert.equal(leadingDirective(`${comments}export const x = 1; // 'use client'\n`), undefined);
    assert.equal(surelyClient('lib/a.ts', `${comments}export const x = 1;\n`), false);
  });

  test("'use client' wins over a Node import; Prisma's enums are no Node import, its client is (papermark's forms)", () => {
    const form = "'use client';\nimport { Role } from '@prisma/client';\nexport const save = (id: string, role: Role) => fetch(`/api/teams/${id}`, { method: 'PATCH', body: role });\n";
    assert.match(browserCodeReason('components/teams/role-form.ts', form) ?? '', /use client/);
    const enums = "import { DocumentStorageType } from '@prisma/client';\nexport const create = (t: string, type: DocumentStorageType) => fetch(`/api/teams/${t}/documents`, { method: 'POST', body: type });\n";
    assert.match(browserCodeReason('lib/documents/create-document.ts', enums) ?? '', /relative to the page/);
    const db = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const ping = () => fetch('/api/ping');\n";
    assert.equal(browserCodeReason('lib/prisma.ts', db), undefined);
    assert.equal(browserCodeReason('lib/prisma.js', "const { PrismaClient } = require('@prisma/client');\nfetch('/x');\n"), undefined);
    // In a package of React helpers (documenso's packages/lib), a module importing Prisma's enums is server code.
    const lib = gatherFacts([{ path: 'packages/lib/package.json', text: JSON.stringify({ name: '@acme/lib', dependencies: { react: '18' } }) }]);
    const upload = "import { DocumentDataType } from '@prisma/client';\nexport const getFile = async (url: string, t: DocumentDataType) => (await fetch(url)).arrayBuffer();\n";
    assert.equal(browserCodeReason('packages/lib/upload/get-file.server.ts', upload, lib), undefined);
    assert.match(browserCodeReason('packages/lib/upload/get-file.ts', upload.replace(/^import.*\n/, ''), lib) ?? '', /front-end package/);
    // Vercel Blob's browser uploader makes browser code, a Prisma import beside it notwithstanding (papermark's put-file).
    const put = "import { DocumentStorageType } from '@prisma/client';\nimport { upload } from '@vercel/blob/client';\nexport const putFile = async (file: File, url: string) => fetch(url, { method: 'PUT', body: file });\n";
    assert.match(browserCodeReason('lib/files/put-file.ts', put) ?? '', /front-end framework/);
    // A route handler rendering an OG image with JSX (dub's app/api/og/analytics/route.tsx) runs on the server.
    const og = "import { Link } from '@prisma/client';\nimport { NextRequest } from 'next/server';\nexport async function GET(req: NextRequest) {\n  const data = await fetch('https://api.tinybird.co/v0/pipes/x.json');\n  return <div />;\n}\n";
    assert.equal(browserCodeReason('app/api/og/analytics/route.tsx', og), undefined);
  });

  test('a module that imports a Node server module runs on the server, whatever else it mentions', () => {
    assert.equal(browserCodeReason('src/render.tsx', `${server}document.createElement('div');\n`), undefined);
    assert.equal(browserCodeReason('src/client.ts', `${server}const api = axios.create({ withCredentials: true });\n`), undefined);
    assert.equal(browserCodeReason('lib/queue.js', "const self = this;\nself.addEventListener('message', onMessage);\nfetch(url);\n"), undefined);
    assert.equal(browserCodeReason('lib/db.js', 'const document = await collection.findOne({ id });\ndocument.save();\n'), undefined);
  });

  test('package.json: browser files, front-end packages; scripts of a Java project', () => {
    const facts = gatherFacts([
      { path: 'lib/package.json', text: JSON.stringify({ browser: { './src/node.js': './src/xhr.js' } }) },
      { path: 'web/package.json', text: JSON.stringify({ dependencies: { react: '18', 'react-dom': '18' } }) },
      { path: 'api/package.json', text: JSON.stringify({ dependencies: { express: '4', react: '18' } }) },
      // A bridge that builds its settings widget with React from the same package (matrix-appservice-slack).
      { path: 'bridge/package.json', text: JSON.stringify({ dependencies: { axios: '1', 'pg-promise': '11', react: '18', 'react-dom': '18' } }) },
      { path: 'mobile/package.json', text: JSON.stringify({ dependencies: { 'react-native': '0.74' }, devDependencies: { sqlite3: '5' } }) },
      { path: 'app/pom.xml', text: '<project/>' },
      // A 3D viewer built on three.js (speckle's viewer), and a server that renders scenes with it beside express.
      { path: 'viewer/package.json', text: JSON.stringify({ dependencies: { three: '0.140', '@speckle/shared': '2' } }) },
      { path: 'render/package.json', text: JSON.stringify({ dependencies: { three: '0.140', express: '4' } }) },
      // A React front end whose dev server or mocks run on express (openbas-front).
      { path: 'front/package.json', text: JSON.stringify({ dependencies: { react: '19', axios: '1' }, devDependencies: { express: '4', vite: '6' } }) },
      // A server bundled at build time, its front end beside it (flood): everything is a devDependency.
      { path: 'bundled/package.json', text: JSON.stringify({ devDependencies: { fastify: '4', react: '18', axios: '1' } }) },
      // A Maven module's player built with webpack, express only to serve it while developed (opencast's Paella 7),
      // and a Maven module whose package runs an express server.
      { path: 'player/pom.xml', text: '<project/>' },
      { path: 'player/package.json', text: JSON.stringify({ dependencies: { 'paella-core': '1' }, devDependencies: { express: '4', webpack: '5' } }) },
      { path: 'gateway/pom.xml', text: '<project/>' },
      { path: 'gateway/package.json', text: JSON.stringify({ dependencies: { express: '4' } }) },
    ]);
    assert.match(browserCodeReason('front/src/network.js', 'axios.create({});\n', facts) ?? '', /front-end package/, 'express only to develop it');
    assert.equal(browserCodeReason('bundled/server/services/rpc.ts', 'axios.post(url, body);\n', facts), undefined, 'a bundled server');
    assert.match(browserCodeReason('viewer/src/modules/UrlHelper.ts', 'await fetch(`${origin}/graphql`);\n', facts) ?? '', /front-end package/);
    assert.equal(browserCodeReason('render/src/scene.ts', 'await fetch(url);\n', facts), undefined);
    assert.match(browserCodeReason('lib/src/xhr.js', 'send(url);\n', facts) ?? '', /browser file/);
    assert.equal(browserCodeReason('lib/src/node.js', 'send(url);\n', facts), undefined);
    assert.match(browserCodeReason('web/src/api.js', 'fetch(url);\n', facts) ?? '', /front-end package/);
    assert.equal(browserCodeReason('api/src/quotes.js', 'fetch(url);\n', facts), undefined, 'a server package that also renders React');
    assert.equal(browserCodeReason('bridge/src/room.ts', 'axios.post(url, body);\n', facts), undefined, 'a back end that also builds a React widget');
    assert.match(browserCodeReason('mobile/src/assets.ts', 'fetch(url);\n', facts) ?? '', /front-end package/, 'tests with sqlite3 make no back end');
    assert.match(browserCodeReason('lib/shim/index.web.ts', 'export const get = (url: string) => fetch(url);\n', facts) ?? '', /React Native platform file/);
    assert.equal(browserCodeReason('lib/shim/index.ts', 'export const get = (url: string) => fetch(url);\n', facts), undefined);
    assert.match(browserCodeReason('app/src/main/ts/progress.ts', 'fetch(url);\n', facts) ?? '', /Java project/);
    assert.match(browserCodeReason('player/src/plugins/episodes.js', 'await fetch(url);\n', facts) ?? '', /Java project/, 'express only to develop it');
    assert.equal(browserCodeReason('gateway/src/proxy.js', 'await fetch(url);\n', facts), undefined, 'a Java project whose package runs a server');
  });
});

describe('machine-made files', () => {
  test('minified, compiled and generated files are named with the reason', () => {
    assert.match(generatedReason('public/app.min.js', 'x') ?? '', /minified/);
    const bundle = `${'var a=1;'.repeat(2_000)}\n`;
    assert.match(generatedReason('lib/bundle.js', bundle) ?? '', /minified \(lines of \d+ characters/);
    assert.match(generatedReason('lib/index.js', 'exports.a = 1;\n//# sourceMappingURL=index.js.map\n') ?? '', /compiled output/);
    assert.match(generatedReason('src/Api.java', '// Code generated by protoc. DO NOT EDIT.\nclass Api {}\n') ?? '', /generated code/);
    assert.equal(generatedReason('src/server.ts', "import http from 'node:http';\n".repeat(300)), undefined);
    // A hand-written table of long messages: long lines on average, none of a minifier's length.
    const messages = `export const INFOS = {\n${`  de: '${'Die Fehlerberichterstattung wird aktiviert. '.repeat(30)}',\n`.repeat(40)}};\n`;
    assert.equal(generatedReason('src/lib/setup/pluginInfos.ts', messages), undefined);
    // The words in code, not in a comment, say nothing (a test titled so, a constant).
    assert.equal(generatedReason('server/report.js', "const NOTE = 'Auto-generated reports are refreshed hourly';\nexports.get = (url) => fetch(url);\n"), undefined);
    assert.match(generatedReason('api/client.ts', '/* eslint-disable */\n/**\n * This file was auto-generated by openapi-typescript.\n */\nexport const a = 1;\n') ?? '', /generated code/);
    assert.match(generatedReason('src/Api.java', '// AUTO-GENERATED FILE\nclass Api {}\n') ?? '', /generated code/);
    assert.match(generatedReason('src/api.ts', '// Auto-generated. Run npm run codegen to update.\nexport const a = 1;\n') ?? '', /generated code/);
    // Comments that mention something generated, of a file written by hand (FlowFuse's models and types).
    const model = '/**\n * Sequelize does not need this model as it\'ll use an auto-generated one, but it allows us to configure timestamps\n */\nmodule.exports = {};\n';
    assert.equal(generatedReason('forge/db/models/PipelineStageDevice.js', model), undefined);
    assert.equal(generatedReason('src/types/index.ts', "// Re-export all auto-generated OpenAPI types.\nexport * from './generated'\n"), undefined);
    // Emscripten's glue, reformatted under a licence header (mempool's wallycore.js), by the helpers it declares.
    const glue = '/* The MIT License */\nvar ENVIRONMENT_IS_WEB = typeof window === "object";\nvar wasmBinaryFile = "wallycore.wasm";\nfunction getBinaryPromise() { return fetch(wasmBinaryFile); }\n';
    assert.match(generatedReason('frontend/src/resources/wallycore/wallycore.js', glue) ?? '', /Emscripten/);
    assert.equal(generatedReason('src/env.js', 'export const ENVIRONMENT_IS_WEB = typeof window === "object";\nexport const load = (url) => fetch(url);\n'), undefined);
  });

  test('bundler output that is not minified: esbuild by its helpers and inlined module paths, webpack by its bootstrap, browserify by its module table', () => {
    const helpers = 'var __commonJS = (cb, mod) => function __require() {\n  return mod || (0, cb[Object.keys(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;\n};\n';
    const inlined = (path: string) => `\n// ${path}\nvar require_${path.length} = __commonJS({\n  "${path}"(exports) {\n    exports.get = (url) => fetch(url);\n  }\n});\n`;
    const esbuild = helpers + inlined('node_modules/ms/index.js') + inlined('../../node_modules/debug/src/node.js');
    assert.equal(generatedReason('lib/utilsBundle.js', esbuild), 'bundled output (esbuild, 2 modules inlined)');
    // One module is a file compiled on its own (the sourceMappingURL, when there is one, says so).
    assert.equal(generatedReason('lib/index.js', helpers + inlined('src/index.ts')), undefined);
    // A comment naming a path, in code written by hand, without esbuild's helpers.
    assert.equal(generatedReason('src/routers/users.js', '// src/routers/users.js\n// lib/db/pool.js\nexports.get = (url) => fetch(url);\n'), undefined);
    const webpack = '/******/ (() => { // webpackBootstrap\n/******/ \tvar __webpack_modules__ = ({\n/***/ 4014:\n/***/ ((module) => { module.exports = 1; })\n/******/ \t});\n/******/ })()\n;';
    assert.equal(generatedReason('dist/index.js', webpack), 'bundled output (webpack)');
    const browserify = '(function(f){module.exports=f()})(function(){var define,module,exports;return (function(){function r(e,n,t){return e}return r})()({1:[function(require,module,exports){\nmodule.exports = require(\'./lib\');\n},{"./lib":2}]},{},[1])(1)});\n';
    assert.equal(generatedReason('dist/qs.js', browserify), 'bundled output (browserify)');
  });

  test('vendored and static asset folders, but never a Java package named like one', () => {
    assert.match(vendoredFolderReason('web/vendor') ?? '', /vendored/);
    assert.match(vendoredFolderReason('site/public') ?? '', /static/);
    assert.equal(vendoredFolderReason('src/main/java/com/acme/vendor'), undefined);
    assert.equal(vendoredFolderReason('src/server'), undefined);
    // TypeScript is compiled before anything serves it: a NestJS module folder named `public` is code of the app.
    assert.equal(vendoredFolderReason('apps/api/src/app/endpoints/public', () => true), undefined);
    assert.match(vendoredFolderReason('web/public', () => false) ?? '', /static/);
  });
});

describe('the policy', () => {
  const leak = 'import java.net.Socket;\nclass A {\n  void f() throws Exception {\n    Socket s = new Socket("h", 1);\n    s.getOutputStream().write(1);\n  }\n}\n';

  test('test code is hidden, shown as info, or reported; the count of hidden findings says how many', () => {
    const hidden = analysed(analyzeText('src/test/java/A.java', leak, { rules: ['unclosed-resource'] }));
    assert.deepEqual(hidden.findings, []);
    assert.equal(hidden.hidden.testCode, 1);
    assert.equal(hidden.role.test, 'a test source set');
    const info = analysed(analyzeText('src/test/java/A.java', leak, { rules: ['unclosed-resource'], testCode: 'info' }));
    assert.deepEqual(info.findings.map((f) => f.severity), ['info']);
    const reported = analysed(analyzeText('src/test/java/A.java', leak, { rules: ['unclosed-resource'], testCode: 'report' }));
    assert.deepEqual(reported.findings.map((f) => f.severity), ['warning']);
  });

  test('a name the imports do not resolve is not the library type', () => {
    const own = leak.replace('import java.net.Socket;\n', 'import com.acme.net.Socket;\n');
    const result = analysed(analyzeText('src/main/java/A.java', own, { rules: ['unclosed-resource'], profile: 'strict' }));
    assert.deepEqual(result.findings, []);
    const samePackage = leak.replace('import java.net.Socket;\n', '');
    const unresolved = analysed(analyzeText('src/main/java/A.java', samePackage, { rules: ['unclosed-resource'], profile: 'strict' }));
    assert.deepEqual(unresolved.findings, []);
    const wildcard = analysed(analyzeText('src/main/java/A.java', leak.replace('java.net.Socket', 'java.net.*'), { rules: ['unclosed-resource'] }));
    assert.deepEqual(wildcard.findings.map((f) => f.basis), ['java.net.Socket, resolved from the imports']);
  });

  test('browser code is hidden in the default profile and shown by the strict one', () => {
    const page = "export async function load(url) {\n  const res = await fetch(url);\n  document.body.textContent = String(res.status);\n}\n";
    const byDefault = analysed(analyzeText('src/page.js', page));
    assert.deepEqual(byDefault.findings, []);
    assert.equal(byDefault.hidden.browserCode, 2);
    const strict = analysed(analyzeText('src/page.js', page, { profile: 'strict' }));
    assert.deepEqual(strict.findings.map((f) => f.rule).sort(), ['missing-timeout', 'unclosed-resource']);
  });
});
