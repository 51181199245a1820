// Records what the commands of a container capture print, from their local equivalents: a JVM driven into a
// self-call deadlock on this machine, captured as if it ran in a container, each command run through `sh -c` here
// instead of `docker exec`/`kubectl exec`. The fixtures (test/fixtures/capture/*.json) feed the replay tests.
//   node --import tsx test/capture/record-container.ts
// Two images are played: one with ss, one with neither ss nor netstat (those two run with an empty PATH, as in a
// slim image), where the capture falls back to /proc. What the fixtures keep is narrowed to the container's share of
// this machine: the process listing to the JVM and the shell that lists, /etc/passwd to root, the socket tables to
// the rows on the JVM's port (the machine's other processes are not the container's, and not the fixture's business).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture, spawnExec, type Exec, type Target } from '../../src/capture/index';
import { CONTAINER_PROCESS_SCRIPT } from '../../src/capture/processes';
import { placeOf, shellLine } from '../../src/capture/target';
import { compiledClasses, missingTools, Processes } from '../live/harness';
import { java, selfCallDeadlock } from '../live/scenarios';
import type { RecordedCommand, Recording } from './recorded';

const fixtures = join(__dirname, '..', 'fixtures', 'capture');

interface Image {
  file: string;
  given: string;
  target: Target;
  /** Tools the image lacks. */
  without: string[];
}

const IMAGES: Image[] = [
  { file: 'docker-jvm-ss.json', given: 'docker:web', target: { kind: 'docker', container: 'web' }, without: [] },
  {
    file: 'k8s-jvm-no-ss.json',
    given: 'k8s:api-7d9/app',
    target: { kind: 'k8s', pod: 'api-7d9', container: 'app', namespace: 'prod', context: 'staging' },
    without: ['ss', 'netstat'],
  },
];

function recorder(image: Image, pid: number, port: number, commands: RecordedCommand[]): Exec {
  const prefix = placeOf(image.target).argv([]);
  const script = CONTAINER_PROCESS_SCRIPT.replace(/\/proc\/\[0-9\]\*/g, `/proc/${pid} /proc/$$$$`).replace('cat /etc/passwd', "grep '^root:' /etc/passwd");
  return async (argv, options) => {
    const command = argv.slice(prefix.length);
    const local = command[2] === CONTAINER_PROCESS_SCRIPT ? ['sh', '-c', script] : command;
    const path = image.without.includes(command[0]) ? '/nonexistent' : (process.env.PATH ?? '');
    const result = await spawnExec(['env', `PATH=${path}`, '/bin/sh', '-c', shellLine(local)], options);
    const stdout = command[0] === 'ss' || command[0] === 'cat' ? onPort(result.stdout, port) : result.stdout;
    commands.push({ command, stdout, stderr: result.stderr, code: result.code ?? 1 });
    return { ...result, stdout, argv };
  };
}

/** The header and the rows of a socket table (ss or /proc/net/tcp) with `port` at either end. */
function onPort(text: string, port: number): string {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const lines = text.split('\n');
  return [lines[0], ...lines.slice(1).filter((l) => new RegExp(`:(?:${port}|${hex})\\b`).test(l))].join('\n') + '\n';
}

async function main(): Promise<void> {
  const missing = missingTools();
  if (missing !== null) throw new Error(`cannot record: ${missing}`);
  const classes = await compiledClasses();
  const processes = new Processes();
  try {
    const { server, port } = await selfCallDeadlock((port) =>
      java({ processes, classes }, 'container-jvm', 'live.SelfCallHttpServer', [port, 'urlconnection', 'named']),
    );
    for (const image of IMAGES) {
      const commands: RecordedCommand[] = [];
      const exec = recorder(image, server.pid, port, commands);
      const result = await capture(image.given, image.target, { dumps: 2, intervalMs: 1000, exec });
      // Not run by this capture (the image has a shell); recorded for the listing of an image without one.
      await exec(placeOf(image.target).argv(['jcmd', '-l']), { timeoutMs: 30_000 });
      const recording: Recording = {
        note: `recorded by test/capture/record-container.ts: the commands of a capture of ${image.given}, run through sh -c on this machine${image.without.length > 0 ? ` with ${image.without.join(' and ')} missing` : ''}`,
        pid: server.pid,
        port,
        commands,
      };
      writeFileSync(join(fixtures, image.file), `${JSON.stringify(recording, null, 1)}\n`);
      console.log(`${image.file}: ${commands.length} commands, ${result.files.length} captures, missing: ${result.record.missing.join('; ') || 'nothing'}`);
    }
  } finally {
    await processes.stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
