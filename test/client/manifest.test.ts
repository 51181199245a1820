// The extension manifest against the code: every contributed command is registered by the client, every command
// link of the walkthrough names a contributed command, every media file it shows exists and ships.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const contributed = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));

function clientSources(dir = join(repoRoot, 'src')): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? clientSources(join(dir, e.name)) : e.name.endsWith('.ts') ? readFileSync(join(dir, e.name), 'utf8') : ''))
    .join('\n');
}

test('the capture settings the client reads are contributed, with the defaults the CLI uses', () => {
  const properties = manifest.contributes.configuration.properties;
  assert.equal(properties['closewait.capture.dumps'].default, 3);
  assert.equal(properties['closewait.capture.interval'].default, '5s');
  const pattern = new RegExp(properties['closewait.capture.interval'].pattern);
  for (const ok of ['5s', '500ms', '1m', '2', '1.5s']) assert.match(ok, pattern);
  for (const bad of ['soon', '5 hours', '']) assert.doesNotMatch(bad, pattern);
  // The CLIs a capture runs are never taken from a workspace's settings (a cloned repository could name any program).
  for (const tool of ['docker', 'kubectl']) {
    assert.equal(properties[`closewait.capture.${tool}`].default, tool);
    assert.equal(properties[`closewait.capture.${tool}`].scope, 'machine');
  }
  const client = readFileSync(join(repoRoot, 'src', 'client', 'capture.ts'), 'utf8');
  for (const key of ['dumps', 'interval', 'docker', 'kubectl']) assert.ok(client.includes(`'${key}'`), `src/client/capture.ts reads closewait.capture.${key}`);
});

test('every contributed command is registered by the client', () => {
  const sources = clientSources();
  for (const command of contributed) {
    assert.ok(sources.includes(`'${command}'`) || sources.includes(`"${command}"`), `${command} is registered somewhere in src/`);
  }
});

test('the walkthrough: scan, open a finding, the sample incident, capture; links to real commands, media that ship', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  const steps: Step[] = walkthrough.steps;
  assert.deepEqual(steps.map((s) => s.id), ['scan', 'finding', 'dump', 'capture']);
  const links = (s: Step) => [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
  for (const step of steps) {
    assert.equal(links(step).length, 1, `${step.id} has one button`);
    for (const command of links(step)) assert.ok(contributed.has(command), `${step.id} links ${command}, a contributed command`);
    for (const event of step.completionEvents ?? []) {
      const command = /^onCommand:(.+)$/.exec(event)?.[1];
      if (command) assert.ok(contributed.has(command), `${step.id} completes on ${command}, a contributed command`);
    }
    const media = step.media.image ?? step.media.markdown;
    assert.ok(media && existsSync(join(repoRoot, media)), `${step.id} shows ${media}`);
    assert.match(media, /^media\//, 'media/ ships in the .vsix');
    if (step.media.image) assert.ok(step.media.altText, `${step.id}'s image has alt text`);
  }
  assert.deepEqual(links(steps[2]), ['closewait.analyzeSampleIncident']);
  assert.deepEqual(links(steps[3]), ['closewait.captureFromProcess']);
  assert.deepEqual(steps[3].completionEvents, ['onCommand:closewait.captureFromProcess']);
  for (const file of ['jstack.txt', 'netstat.txt']) assert.ok(existsSync(join(repoRoot, 'media', 'sample', file)), `the sample incident's ${file} ships`);
});
