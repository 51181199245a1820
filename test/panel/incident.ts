// The original incident (../shared/incidents/tomcat-self-call/) read from disk, and the facts the panel must show,
// counted here from the pasted lines themselves (not by running the analysis), so the tests check the panel
// against the evidence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedRoot } from '../helpers';

export const incidentDir = join(sharedRoot, 'incidents', 'tomcat-self-call');

export interface AppFrame {
  class: string;
  method: string;
  file: string;
  line: number;
  text: string;
}

export interface IncidentFacts {
  jstack: string;
  netstat: string;
  lsof: string;
  /** The two listings as one paste into the socket input. */
  listings: string;
  threadNames: string[];
  threadStates: Map<string, number>;
  socketStates: Map<string, number>;
  closeWaitByRemoteHost: Map<string, number>;
  /** `10.51.31.149 CLOSE_WAIT` → connections: the socket table's rows (every connection is on the one port). */
  rowsByHostAndState: Map<string, number>;
  /** `http-apr-8080-exec` from `http-apr-8080-exec-24`. */
  pool: string;
  port: number;
  /** Frames outside the JDK (java., sun.), top first. */
  appFrames: AppFrame[];
  netstatCommand: string;
  netstatRows: number;
  lsofRows: number;
}

function read(name: string): string {
  return readFileSync(join(incidentDir, name), 'utf8');
}

function tally(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function hostOf(endpoint: string): string {
  return endpoint.slice(0, endpoint.lastIndexOf(':'));
}

export function incidentFacts(): IncidentFacts {
  const jstack = read('jstack.txt');
  const netstat = read('netstat.txt');
  const lsof = read('lsof.txt');
  const socketStates = new Map<string, number>();
  const closeWaitByRemoteHost = new Map<string, number>();
  const rowsByHostAndState = new Map<string, number>();
  let netstatRows = 0;
  let lsofRows = 0;
  let port = NaN;
  for (const line of netstat.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== 'tcp') continue;
    netstatRows++;
    const [, , , local, remote, state] = fields;
    port = Number(local.slice(local.lastIndexOf(':') + 1));
    tally(socketStates, state);
    tally(rowsByHostAndState, `${hostOf(remote)} ${state}`);
    if (state === 'CLOSE_WAIT') tally(closeWaitByRemoteHost, hostOf(remote));
  }
  for (const line of lsof.split('\n')) {
    const match = /\sTCP\s+\S+->(\S+)\s+\((\w+)\)\s*$/.exec(line);
    if (match === null) continue;
    lsofRows++;
    tally(socketStates, match[2]);
    tally(rowsByHostAndState, `${hostOf(match[1])} ${match[2]}`);
    if (match[2] === 'CLOSE_WAIT') tally(closeWaitByRemoteHost, hostOf(match[1]));
  }
  const threadNames = [...jstack.matchAll(/^"([^"]+)"/gm)].map((m) => m[1]);
  const threadStates = new Map<string, number>();
  for (const m of jstack.matchAll(/java\.lang\.Thread\.State: (\w+)/g)) tally(threadStates, m[1]);
  const appFrames = [...jstack.matchAll(/^\s+at ((?!java\.|sun\.)[\w.$]+)\.(\w+)\(([\w.]+):(\d+)\)$/gm)].map((m) => ({
    class: m[1],
    method: m[2],
    file: m[3],
    line: Number(m[4]),
    text: `${m[1]}.${m[2]}(${m[3]}:${m[4]})`,
  }));
  return {
    jstack,
    netstat,
    lsof,
    listings: `${netstat.trimEnd()}\n${lsof}`,
    threadNames,
    threadStates,
    socketStates,
    closeWaitByRemoteHost,
    rowsByHostAndState,
    pool: threadNames[0].replace(/-\d+$/, ''),
    port,
    appFrames,
    netstatCommand: /^\$ (netstat \S+)/m.exec(netstat)?.[1] ?? '',
    netstatRows,
    lsofRows,
  };
}
