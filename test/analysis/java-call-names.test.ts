// The text test that spares a Java file the walk over its calls: it must pass every spelling of a call the
// catalogues match, and say no, quickly, to text that only mentions their names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { javaMayAcquireItself } from '../../src/analysis/catalog/java-call-names';

describe('javaMayAcquireItself', () => {
  const calls = [
    'client.execute(request)',
    'client.execute (request)',
    'client.execute\n    (request)',
    'client.execute /* (no) */ (request)',
    'client.execute // the call\n  (request)',
    'Foo.<String>build<List<Map<String, Integer>>>(x)',
    'new Socket<A> <B>(host, port)',
    'new Socket /* a */ /* b */ (host, port)',
  ];
  for (const text of calls) test(`passes ${JSON.stringify(text)}`, () => assert.equal(javaMayAcquireItself(text), true));

  const mentions = [
    'String executed = "x"; // execute the plan later',
    'int opened = 1; // executeOpen is not called here',
    `// end of execute\n// ${'/'.repeat(200)}\nint x = 1;`,
    `// send\n${'/* c */ <A> '.repeat(300)};`,
    `// open\n${'<A> '.repeat(300)};`,
  ];
  for (const text of mentions) test(`says no to ${JSON.stringify(text.slice(0, 40))}...`, () => assert.equal(javaMayAcquireItself(text), false));
});
