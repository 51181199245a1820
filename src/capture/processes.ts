// Which processes are JVMs or Node.js, and what they run: read from their command lines (/proc/<pid>/cmdline on this
// machine, a small shell loop inside a container), with `jcmd -l` (or `jps -l`) naming what a JVM says it runs.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename } from 'node:path';

export type Runtime = 'java' | 'node';

export interface ProcessInfo {
  pid: number;
  runtime: Runtime;
  /** The main class, jar or module of a JVM; the script of a Node.js process ("[eval]" or "[repl]" without one). */
  main: string;
  /** The command line, one argument per entry. */
  argv: string[];
  /** The command line, arguments joined by spaces. */
  commandLine: string;
  uid: number | null;
  user: string | null;
}

/** JVM options whose value is the next argument (`-cp x`); the first other non-option is the main class. */
const JAVA_OPTIONS_WITH_VALUE = new Set([
  '-cp', '-classpath', '--class-path', '-p', '--module-path', '--upgrade-module-path', '--add-modules', '--add-opens',
  '--add-exports', '--add-reads', '--patch-module', '--limit-modules', '--enable-native-access', '-splash',
]);
/** Node.js options whose value is the next argument (`-r dotenv/config`). */
export const NODE_OPTIONS_WITH_VALUE = new Set([
  '-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '--title', '--inspect-port',
  '--debug-port', '--env-file', '--input-type', '--report-signal', '--report-directory', '--report-filename', '--stack-size',
]);
/** The JDK's own tools are JVMs too: never a capture target. */
const JDK_TOOLS = /(?:^|\/|\.)(?:JCmd|Jps|JStack|JMap|JInfo|JStat|SALauncher)$/;

export function runtimeOf(argv: readonly string[], exe: string | null = null): Runtime | null {
  const name = basename((argv[0] ?? '').replace(/\\/g, '/')).toLowerCase();
  const exeName = exe !== null ? basename(exe) : '';
  if (/^javaw?(?:\.exe)?$/.test(name) || exeName === 'java') return 'java';
  if (/^(?:node|nodejs)(?:\.exe|\d+)?$/.test(name) || exeName === 'node' || exeName === 'nodejs') return 'node';
  return null;
}

/** What a JVM runs: `com.example.Main`, `app.jar`, `my.module/com.example.Main`; null for a JDK tool or none given. */
export function javaMain(argv: readonly string[]): string | null {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-jar') return argv[i + 1] ?? null;
    if (arg === '-m' || arg === '--module') return argv[i + 1] ?? null;
    if (arg.startsWith('--module=')) return arg.slice('--module='.length);
    if (JAVA_OPTIONS_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return JDK_TOOLS.test(arg) ? null : arg;
  }
  return null;
}

/** The script a Node.js process runs, as given on its command line. */
export function nodeMain(argv: readonly string[]): string {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print') return '[eval]';
    if (NODE_OPTIONS_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg === '--') return argv[i + 1] ?? '[repl]';
    if (arg.startsWith('-')) continue;
    return arg;
  }
  return '[repl]';
}

/** A JVM or Node.js process from its command line; null for anything else (and for the JDK's own tools). */
export function classify(pid: number, argv: readonly string[], exe: string | null = null, uid: number | null = null, user: string | null = null): ProcessInfo | null {
  const runtime = runtimeOf(argv, exe);
  if (runtime === null) return null;
  if (runtime === 'java' && argv.some((a) => JDK_TOOLS.test(a))) return null;
  // The runtime under another name: a launcher (jsvc), or a process that set its title (`process.title = 'orders'`,
  // npm, pm2), which replaces the whole command line. That name is what its owner knows it by.
  const title = runtimeOf([argv[0] ?? '']) === null ? argv.filter((a) => a !== '').join(' ') : null;
  const main = runtime === 'java' ? (javaMain(argv) ?? title ?? 'java') : (title ?? nodeMain(argv));
  return { pid, runtime, main, argv: [...argv], commandLine: argv.join(' '), uid, user };
}

/** A short name for a list: `SelfCallTomcat`, `app.jar`, `server.mjs`, Tomcat for its Bootstrap class. */
export function displayName(p: ProcessInfo): string {
  if (p.runtime === 'node') return p.main.startsWith('[') ? 'node' : /\s/.test(p.main) ? p.main : basename(p.main);
  if (/org\.apache\.catalina\.startup\.Bootstrap/.test(p.main)) return 'Tomcat';
  if (/\.jar$/i.test(p.main)) return basename(p.main);
  const main = p.main.includes('/') ? p.main.slice(p.main.indexOf('/') + 1) : p.main;
  return main.slice(main.lastIndexOf('.') + 1) || main;
}

/** `jcmd -l` / `jps -l`: `<pid> <main class or jar> [args]` per JVM (the tool lists itself too). */
export function parseJvmList(text: string): ListedJvm[] {
  const jvms: ListedJvm[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)?\s*(.*)$/.exec(line);
    if (!m) continue;
    const main = m[2] ?? '';
    if (JDK_TOOLS.test(main) || /\bsun\.tools\.|jdk\.jcmd\//.test(main)) continue;
    jvms.push({ pid: Number(m[1]), main: main === '' || main === '--' ? '' : main, args: m[3].trim() });
  }
  return jvms;
}

/** Every JVM and Node.js process of this machine visible in /proc (Linux); null where there is no /proc. */
export function localProcesses(): ProcessInfo[] | null {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return null;
  }
  const users = localUsers();
  const found: ProcessInfo[] = [];
  for (const pid of pids) {
    const info = localProcess(pid, users);
    if (info !== null) found.push(info);
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** One process of this machine by pid: null when it is gone, unreadable, or neither a JVM nor Node.js by its command line. */
export function localProcess(pid: number, users: Map<number, string> = localUsers()): ProcessInfo | null {
  const local = localCommand(pid, users);
  return local !== null ? classify(pid, local.argv, local.exe, local.uid, local.user) : null;
}

/** What /proc says of a process: its command line, executable and owner; null when it is gone or unreadable. */
export interface LocalCommand {
  argv: string[];
  exe: string | null;
  uid: number;
  user: string | null;
}

export function localCommand(pid: number, users: Map<number, string> = localUsers()): LocalCommand | null {
  const cmdline = readText(`/proc/${pid}/cmdline`);
  if (cmdline === null || cmdline === '') return null;
  // A process that set its title pads the rest of its command line with NULs.
  const argv = cmdline.replace(/\0+$/, '').split('\0');
  let exe: string | null = null;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    // Another user's process: its command line is enough.
  }
  let uid: number;
  try {
    uid = statSync(`/proc/${pid}`).uid;
  } catch {
    return null;
  }
  return { argv, exe, uid, user: users.get(uid) ?? null };
}

/** A JVM `jcmd -l` (or `jps -l`) lists. */
export interface ListedJvm {
  pid: number;
  main: string;
  args: string;
}

/**
 * A JVM the JDK's tools list, with its command line from /proc when there is one: a launcher of its own (jsvc,
 * jshell, an IDE) runs the JVM under another name, which the command line alone does not tell.
 */
export function listedJvm(jvm: ListedJvm, local: LocalCommand | null = null): ProcessInfo {
  const argv = local?.argv ?? ['java', ...(jvm.main !== '' ? [jvm.main] : []), ...jvm.args.split(/\s+/).filter((a) => a !== '')];
  const main = jvm.main !== '' ? jvm.main : (local !== null ? argv.join(' ') : '(unknown main class)');
  return { pid: jvm.pid, runtime: 'java', main, argv, commandLine: argv.join(' '), uid: local?.uid ?? null, user: local?.user ?? null };
}

/** uid -> user name of this machine. */
export function localUsers(): Map<number, string> {
  return passwdNames(readText('/etc/passwd') ?? '');
}

/** uid -> user name from /etc/passwd text. */
export function passwdNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name);
  }
  return names;
}

/**
 * The shell loop a container runs to list its processes (busybox and coreutils alike, one `cat` per process): the
 * owners from `ls -ldn`, then each command line after a `@pid <n>` mark, NUL-separated as the kernel keeps it.
 */
export const CONTAINER_PROCESS_SCRIPT =
  'ls -ldn /proc/[0-9]* 2>/dev/null; echo @@; cat /etc/passwd 2>/dev/null; echo @@; ' +
  'for d in /proc/[0-9]*; do printf "\\n@pid %s " "${d#/proc/}"; cat "$d/cmdline" 2>/dev/null; done; echo';

/** Reads the output of CONTAINER_PROCESS_SCRIPT. */
export function parseProcessScript(text: string): ProcessInfo[] {
  const [owners = '', passwd = '', cmdlines = ''] = text.split(/^@@$/m);
  const users = passwdNames(passwd);
  const uids = new Map<number, number>();
  for (const line of owners.split('\n')) {
    const m = /^\S+\s+\d+\s+(\d+)\s+\d+\s.*\/proc\/(\d+)\s*$/.exec(line);
    if (m) uids.set(Number(m[2]), Number(m[1]));
  }
  const found: ProcessInfo[] = [];
  for (const chunk of cmdlines.split('\n@pid ').slice(1)) {
    const space = chunk.indexOf(' ');
    const pid = Number(chunk.slice(0, space));
    const argv = chunk.slice(space + 1).replace(/\n$/, '').replace(/\0$/, '').split('\0');
    if (!Number.isInteger(pid) || argv[0] === '') continue;
    const uid = uids.get(pid) ?? null;
    const info = classify(pid, argv, null, uid, uid !== null ? (users.get(uid) ?? null) : null);
    if (info !== null) found.push(info);
  }
  return found.sort((a, b) => a.pid - b.pid);
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
