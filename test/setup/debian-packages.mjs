// What the tests need from Debian besides npm packages, installed on the spot when we can: as root with apt-get (a
// fresh machine, CI) `npm test` installs them itself; anyone else gets one line naming the command to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A command the tests run, and the Debian package that brings it. */
export const CHROMIUM = {
  name: "Debian's chromium",
  path: process.env.CLOSEWAIT_CHROMIUM ?? '/usr/bin/chromium',
  pkg: 'chromium',
  why: "the browser tests (headless Chromium)",
};
export const JAVAC = { name: 'javac', path: 'javac', pkg: 'default-jdk-headless', why: 'the check that a quick fix still compiles' };

/** What the live incidents (test/live) run and capture: a JDK, the servers' Java libraries, the socket tools. */
const LIVE = 'the live incidents';
export const LIVE_INCIDENT_TOOLS = [
  { name: 'javac', path: 'javac', pkg: 'default-jdk-headless', why: LIVE },
  { name: 'jcmd', path: 'jcmd', pkg: 'default-jdk-headless', why: LIVE },
  { name: 'embedded Tomcat 10', path: '/usr/share/java/tomcat10-catalina.jar', pkg: 'libtomcat10-java', why: LIVE },
  { name: 'Apache HttpClient 4.5', path: '/usr/share/java/httpclient.jar', pkg: 'libhttpclient-java', why: LIVE },
  { name: 'Apache HttpCore 4.4', path: '/usr/share/java/httpcore.jar', pkg: 'libhttpcore-java', why: LIVE },
  { name: 'OkHttp', path: '/usr/share/java/okhttp.jar', pkg: 'libokhttp-java', why: LIVE },
  { name: 'ss', path: 'ss', pkg: 'iproute2', why: LIVE },
  { name: 'lsof', path: 'lsof', pkg: 'lsof', why: LIVE },
  { name: 'netstat', path: 'netstat', pkg: 'net-tools', why: LIVE },
];

function present(path) {
  if (path.includes('/')) return existsSync(path);
  return spawnSync('sh', ['-c', `command -v ${path}`], { stdio: 'ignore' }).status === 0;
}

function canApt() {
  return typeof process.getuid === 'function' && process.getuid() === 0 && present('apt-get');
}

/**
 * Makes sure every tool is there. Returns true when all are (after installing what was missing), false after
 * printing the one line that says what to install.
 */
export function ensureDebianPackages(tools, command = 'npm test') {
  const missing = tools.filter((t) => !present(t.path));
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map((t) => t.pkg))];
  if (canApt()) {
    console.error(`${command}: installing ${packages.join(', ')} with apt-get for ${missing.map((t) => t.why).join(' and ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const quiet = { stdio: ['ignore', 'ignore', 'inherit'], env };
    const update = spawnSync('apt-get', ['update', '-qq'], quiet);
    const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], quiet);
    if (install && install.status === 0 && missing.every((t) => present(t.path))) return true;
  }
  console.error(
    `${command} needs ${missing.map((t) => `${t.name} for ${t.why}`).join(' and ')}: run  sudo apt-get install ${packages.join(' ')}` +
      (missing.includes(CHROMIUM) ? '  (or set CLOSEWAIT_CHROMIUM to a Chromium binary)' : ''),
  );
  return false;
}
