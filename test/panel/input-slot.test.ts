// Which panel input a text from the editor goes to ("Analyze Dump from Selection / Current File").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputSlotFor } from '../../src/client/input-slot';
import { incidentFacts } from './incident';

const facts = incidentFacts();

test('the language decides when VS Code recognised the file', () => {
  assert.equal(inputSlotFor('socket-listing', facts.jstack), 'sockets');
  assert.equal(inputSlotFor('thread-dump', facts.netstat), 'threads');
});

test('plain text is sniffed: listings go to the socket input, dumps and combined pastes to the thread dump input', () => {
  assert.equal(inputSlotFor('plaintext', facts.netstat), 'sockets');
  assert.equal(inputSlotFor('plaintext', facts.lsof), 'sockets');
  assert.equal(inputSlotFor('log', facts.listings), 'sockets');
  assert.equal(inputSlotFor('plaintext', facts.jstack), 'threads');
  assert.equal(inputSlotFor('plaintext', `${facts.jstack}\n${facts.netstat}`), 'threads');
  assert.equal(inputSlotFor('plaintext', 'hello'), 'threads');
});

test('only the head of a large text is read', () => {
  const rows = facts.netstat.split('\n').filter((l) => l.startsWith('tcp'));
  const big = `${rows.join('\n')}\n`.repeat(Math.ceil((40 * 1024 * 1024) / facts.netstat.length));
  const started = performance.now();
  assert.equal(inputSlotFor('plaintext', big), 'sockets');
  assert.ok(performance.now() - started < 1000, 'sniffing a 40 MB listing takes no time');
});
