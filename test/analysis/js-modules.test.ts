// Workspace facts about JavaScript/TypeScript modules read off their imports: what only tests import (facts/js-modules.ts).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadAllLanguages } from '../../src/analysis';
import { gatherFacts } from '../../src/analysis/facts';
import { testCodeReason } from '../../src/analysis/scope/test-code';

before(loadAllLanguages);

describe('modules only tests import (workspace facts)', () => {
  const pkg = { path: 'api/package.json', text: JSON.stringify({ name: '@acme/api', dependencies: { '@nestjs/core': '10' } }) };
  const module = (path: string, imports = '') => ({ path, text: `${imports}\nexport async function get(url: string) { return fetch(url); }\n` });
  const spec = (path: string, imports: string) => ({ path, text: `${imports}\ndescribe('x', () => { it('y', async () => {}); });\n` });

  test("a client under src/ that only e2e tests use, through a chain, is a test helper (novu's workflow client)", () => {
    const files = [
      pkg,
      module('api/src/clients/base-client.ts'),
      module('api/src/clients/workflow-client.ts', "import { get } from './base-client';"),
      module('api/src/clients/index.ts', "export * from './workflow-client';"),
      spec('api/src/workflows/workflow.controller.e2e.ts', "import { get } from '../clients';"),
      spec('api/src/tests/queue.test.ts', "import { get } from '../clients/base-client';"),
    ];
    const facts = gatherFacts(files);
    assert.deepEqual(facts.testOnlyModules, ['api/src/clients/base-client.ts', 'api/src/clients/index.ts', 'api/src/clients/workflow-client.ts']);
    assert.match(testCodeReason('api/src/clients/base-client.ts', facts) ?? '', /only tests or development-only code import it/);
  });

  test("a module only development-only code imports is a development helper (almondyoung's OIDC admin client of its app/dev/ pages)", () => {
    const files = [
      pkg,
      module('api/lib/user-service-admin.ts'),
      module('api/app/dev/oidc-clients/actions.ts', "'use server';\nimport { get } from '@/lib/user-service-admin';"),
      module('api/lib/user-service.ts'),
      module('api/app/dev/profile/page.tsx', "import { get } from '@/lib/user-service';"),
      module('api/app/account/page.tsx', "import { get } from '@/lib/user-service';"),
    ];
    const facts = gatherFacts(files);
    assert.deepEqual(facts.testOnlyModules, ['api/lib/user-service-admin.ts']);
    assert.match(testCodeReason('api/lib/user-service-admin.ts', facts) ?? '', /development-only code import it/);
  });

  test("a package.json subpath import resolves where its imports map points (DEFRA's `#adapters/*` for `./src/adapters/*`)", () => {
    const files = [
      { path: 'api/package.json', text: JSON.stringify({ name: 'epr', imports: { '#adapters/*': './src/adapters/*', '#lib/*': { node: './src/common/lib/*' } }, dependencies: { '@hapi/hapi': '21' } }) },
      module('api/src/adapters/uploads/inmemory.js'),
      module('api/src/adapters/uploads/s3.js'),
      module('api/src/common/lib/presign.js'),
      module('api/src/routes/summary-logs/integration-test-helpers.js', "import { get } from '#adapters/uploads/inmemory.js';"),
      spec('api/src/routes/summary-logs/post.test.js', "import { get } from './integration-test-helpers.js';\nimport { x } from '#lib/presign.js';"),
      module('api/src/plugins/uploads.js', "import { get } from '#adapters/uploads/s3.js';"),
    ];
    const facts = gatherFacts(files);
    assert.deepEqual(facts.testOnlyModules, ['api/src/adapters/uploads/inmemory.js', 'api/src/common/lib/presign.js']);
  });

  test("a module that only takes types from another does not import it (openid-client's conformance harness)", () => {
    const files = [
      pkg,
      module('api/conformance/api.ts'),
      module('api/conformance/modules.ts', "import type { Plan } from './api.js';\nexport type { Plan as P } from './api.js';"),
      spec('api/conformance/runner.ts', "import test from 'ava';\nimport { get } from './api.js';"),
      // A test that another file imports is a test still, not a module whose fate its importers decide.
      module('api/conformance/unhandled.ts', "import { run } from './runner.js';"),
    ];
    assert.deepEqual(gatherFacts(files).testOnlyModules, ['api/conformance/api.ts']);
    const typed = [...files.slice(0, 2), module('api/src/orders.ts', "import { type Plan, get } from '../conformance/api.js';"), files[3], files[4]];
    assert.deepEqual(gatherFacts(typed).testOnlyModules, [], 'an import of types and values imports the values');
  });

  test("a module only a suite of mocha's globals imports is a test helper (node-oidc-provider's certification API client)", () => {
    const files = [
      pkg,
      module('api/certification/runner/api.js'),
      { path: 'api/certification/runner/index.js', text: "import API from './api.js';\ndescribe(PLAN_NAME, () => {\n  it('creates test plan', async () => { await API.get(url); });\n});\n" },
    ];
    assert.deepEqual(gatherFacts(files).testOnlyModules, ['api/certification/runner/api.js']);
  });

  test('a module production code also imports, one nothing imports, or an entry by its name is not', () => {
    const files = [
      pkg,
      module('api/src/clients/shared.ts'),
      module('api/src/orders/orders.service.ts', "import { get } from '../clients/shared';"),
      module('api/src/lonely.ts'),
      module('api/src/main.ts'),
      module('api/src/index.ts'),
      module('api/src/handlers/webhook.ts'),
      module('api/api/hook.ts'),
      module('api/app/api/users/route.ts'),
      spec('api/app/api/users/route.test.ts', "import { GET } from './route';\nimport { x } from '../../../api/hook';"),
      spec('api/test/app.e2e-spec.ts', "import { get } from '../src/clients/shared';\nimport '../src/main';\nimport '../src';"),
      // A script is no test: what only scripts import may run in production (a job started by hand).
      module('api/scripts/backfill.ts', "import { get } from '../src/handlers/webhook';"),
      // A daemon production code forks by its file name, and a module that runs itself (pm2's agent daemon).
      module('api/src/agent/daemon.js', "const u = require('./utility');"),
      module('api/src/agent/utility.js'),
      module('api/src/agent/client.js', "const child = fork(path.join(__dirname, 'daemon.js'));"),
      module('api/src/agent/standalone.js', "if (require.main === module) start();"),
      spec('api/test/agent.test.js', "const d = require('../src/agent/daemon');\nconst s = require('../src/agent/standalone');"),
    ];
    assert.deepEqual(gatherFacts(files).testOnlyModules, []);
  });
});
