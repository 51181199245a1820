// The lines of a HotSpot-style paste that are not a thread's own (hotspot.ts reads headers, states, frames and lock
// lines): what opens and closes a dump (its banner, timestamp, the process it came from), the sections after the
// threads (deadlock report, heap, SMR info, JRockit's lock chains) and the lines only a relative prints (JMX text,
// JRockit, the Serviceability Agent). They move the parser along through HotspotState.
import type { JavaThread, ThreadDump } from '../model';
import { parsePrompt } from '../prompt';
import { DeadlockReportReader } from './deadlock-report';
import { jdkFromVmBanner } from './jdk-version';
import { isJmxSynchronizersLine, jmxOwnerLine } from './jmx';
import { JROCKIT_BANNER, JROCKIT_CHAINS, JROCKIT_END, JROCKIT_START, jdkFromJrockitBanner } from './jrockit';
import { SA_ATTACH, SA_NOISE, SA_THREAD, SA_VERSION } from './sa';
import { DATE_LINE, isListingRow, JCMD_PID, NAMELESS_HEADER, SAP_TIMESTAMP, TIMESTAMP } from './hotspot-lines';

/** What the lines being read belong to: a thread's stack, or a section that has lines of its own. */
export type Mode = 'stack' | 'ownable' | 'deadlock' | 'heap' | 'smr' | 'chains';

/** The parser as the section lines see it: where it is in the paste, and the steps that move it on. */
export interface HotspotState {
  readonly thread: JavaThread | null;
  readonly dump: ThreadDump | null;
  mode: Mode;
  deadlock: DeadlockReportReader | null;
  /** A timestamp line read before its dump's banner; the next dump takes it. */
  pendingTimestamp: { text: string; line: number } | null;
  readonly pendingTool: string | null;
  /** A JMX header's lock: an owner line below the header names its owner. */
  readonly headerLock: { name: string; owner: string | null; line: number } | null;
  /** Set by an SA thread line, read when its stack ends. */
  saStateWord: string | null;
  endThread(): void;
  startThread(name: string, header: string, line: number): void;
  /** `Mounted virtual thread`: the frames that follow are the virtual thread's, on top of the carrier's. */
  mountVirtualThread(): void;
  /** The dump being read, begun at that line if there is none. */
  currentDump(line: number): ThreadDump;
  closeDump(): void;
  /** A new dump of that process follows. */
  newProcess(pid: number, tool: string | null): void;
  /** Marks line i as read and of no meaning; returns 1, the lines used. */
  noise(i: number): number;
}

/** A trimmed line that is none of a thread's own: returns how many lines it used, 0 if not ours. */
export function otherLine(p: HotspotState, t: string, i: number): number {
  // A socket listing's row, the most common line of a paste beside a dump: none of the lines below has its shape.
  if (isListingRow(t)) return 0;
  // The most common line here, and one no relative of HotSpot prints.
  if (t.startsWith('Locked ownable synchronizers:')) {
    p.mode = 'ownable';
    return 1;
  }
  const other = relativesLine(p, t, i);
  if (other > 0) return other;
  if (t.startsWith('Full thread dump')) {
    p.endThread();
    if (p.dump !== null && (p.dump.threads.length > 0 || p.dump.jvm !== null)) p.closeDump();
    const dump = p.currentDump(i + 1);
    dump.jvm = t.replace(/^Full thread dump\s*/, '').replace(/:\s*$/, '');
    dump.jdk = jdkFromVmBanner(dump.jvm);
    if (/\bSAP\b/.test(dump.jvm)) dump.format = 'sap';
    p.mode = 'stack';
    return 1;
  }
  if (TIMESTAMP.test(t) || SAP_TIMESTAMP.test(t)) {
    p.endThread();
    if (p.dump !== null && p.dump.threads.length > 0) p.closeDump();
    p.pendingTimestamp = { text: SAP_TIMESTAMP.exec(t)?.[1].trim() ?? t, line: i + 1 };
    return 1;
  }
  if (NAMELESS_HEADER.test(t)) {
    if (p.mode === 'deadlock') p.closeDump();
    p.startThread('', t, i + 1);
    return 1;
  }
  if (t.startsWith('Carrying virtual thread')) {
    if (p.thread !== null) p.thread.carrying = /#(\d+)/.exec(t)?.[1] ?? null;
    return 1;
  }
  if (t.startsWith('Mounted virtual thread')) {
    p.mountVirtualThread();
    return 1;
  }
  if (t.startsWith('Found one Java-level deadlock')) {
    p.endThread();
    const report = { line: i + 1, entries: [] };
    p.currentDump(i + 1).deadlocks.push(report);
    p.deadlock = new DeadlockReportReader(report);
    p.mode = 'deadlock';
    return 1;
  }
  if (t === '...' || t === '…' || t.startsWith('...')) {
    if (p.thread !== null) p.thread.truncated = true;
    return p.noise(i);
  }
  if (t === 'Heap') {
    p.endThread();
    p.mode = 'heap';
    return p.noise(i);
  }
  if (t.startsWith('Threads class SMR info')) {
    p.mode = 'smr';
    return p.noise(i);
  }
  const pid = JCMD_PID.exec(t);
  if (pid) {
    p.newProcess(Number(pid[1]), 'jcmd Thread.print');
    return p.noise(i);
  }
  if (/^(?:JNI global ref|Found \d+ deadlocks?\.|Found a total of \d+ deadlock)/.test(t)) {
    // The end of a dump: frames after it belong to log lines, not to the last thread.
    p.endThread();
    return p.noise(i);
  }
  if (/^(?:No compile task|Compiling:|=+$)/.test(t)) return p.noise(i);
  const prompt = parsePrompt(t);
  if (prompt !== null && prompt.dumpPid !== null) {
    p.newProcess(prompt.dumpPid, prompt.dumpTool);
    return p.noise(i);
  }
  return 0;
}

/** Lines of JRockit, JMX text and the Serviceability Agent that HotSpot never prints. */
function relativesLine(p: HotspotState, t: string, i: number): number {
  const saThread = SA_THREAD.exec(t);
  if (saThread) {
    if (p.dump === null || p.dump.format === 'hotspot') p.currentDump(i + 1).format = 'sa';
    p.startThread(`Thread ${saThread[1]}`, '', i + 1);
    if (p.thread !== null) {
      p.thread.nid = saThread[1];
      p.thread.stateDetail = saThread[2];
    }
    p.saStateWord = saThread[2];
    return 1;
  }
  const attach = SA_ATTACH.exec(t);
  if (attach) {
    p.newProcess(Number(attach[1]), p.pendingTool ?? 'jhsdb jstack');
    p.currentDump(i + 1).format = 'sa';
    return p.noise(i);
  }
  const version = SA_VERSION.exec(t);
  if (version && p.dump?.format === 'sa') {
    p.dump.jvm = `HotSpot ${version[1]}`;
    p.dump.jdk = jdkFromVmBanner(`(${version[1]})`);
    return p.noise(i);
  }
  if (SA_NOISE.test(t)) return p.noise(i);
  if (t === 'Error occurred during stack walking:') {
    // SA gave up on this stack and prints its own exception: those frames are not the thread's.
    if (p.thread !== null) p.thread.truncated = true;
    p.endThread();
    return 0;
  }
  if (JROCKIT_START.test(t)) {
    p.endThread();
    if (p.dump !== null && p.dump.threads.length > 0) p.closeDump();
    p.currentDump(i + 1).format = 'jrockit';
    return p.noise(i);
  }
  if (JROCKIT_END.test(t)) {
    p.closeDump();
    return p.noise(i);
  }
  const dump = p.dump;
  if (dump !== null && dump.format === 'jrockit' && dump.threads.length === 0) {
    if (JROCKIT_BANNER.test(t)) {
      dump.jvm = t;
      dump.jdk = jdkFromJrockitBanner(t);
      return p.noise(i);
    }
    if (DATE_LINE.test(t) && dump.timestamp === null) {
      dump.timestamp = t;
      return p.noise(i);
    }
  }
  if (JROCKIT_CHAINS.test(t) || (p.mode === 'chains' && /^Chain \d+:$/.test(t))) {
    p.endThread();
    p.mode = 'chains';
    return p.noise(i);
  }
  if (isJmxSynchronizersLine(t)) {
    p.mode = 'ownable';
    return 1;
  }
  const owner = jmxOwnerLine(t);
  if (owner !== null && p.headerLock !== null) {
    p.headerLock.owner = owner;
    return 1;
  }
  return 0;
}
