// The text report's sections for what peers show beside verdicts: the lock table (contended locks first, with the
// holder's place in the code), top running methods, and the over-time view of several dumps.
import { count, threadsById, waitedLocks, type DumpReport, type FrameJson, type LockJson, type ThreadJson } from '../dump/index';

const LOCKS_SHOWN = 10;
const STUCK_SHOWN = 12;
const NAMES_SHOWN = 3;

export function insightLines(report: DumpReport): string[] {
  return [...lockLines(report), ...topMethodLines(report), ...overTimeLines(report)];
}

function lockLines(report: DumpReport): string[] {
  // Only the locks waited for are made for the text: a dump may name a lock per thread.
  const { waited, contended, total } = waitedLocks(report);
  if (waited.length === 0) return [];
  // Only the threads named here are looked up: a dump may hold a million.
  const named = waited.slice(0, LOCKS_SHOWN).flatMap((l) => [...(l.holder !== null ? [l.holder] : []), ...l.acquiring.slice(0, NAMES_SHOWN), ...l.waitingForNotification.slice(0, NAMES_SHOWN)]);
  const threads = threadsById(report, named);
  const out = ['', `Locks: ${count(contended)} contended, ${count(total)} in all`];
  for (const lock of waited.slice(0, LOCKS_SHOWN)) {
    const holder = lock.holder !== null ? threads.get(lock.holder) : undefined;
    const who = holder !== undefined ? `held by "${holder.name}"` : lock.holderName !== null ? `held by "${lock.holderName}" (stack not in the paste)` : 'held by no thread of the dump';
    out.push(`  ${lockName(lock)}  ${who}${report.dumps.length > 1 ? `  [dump ${lock.dump + 1}]` : ''}`);
    if (lock.acquiring.length > 0) out.push(`    ${lock.acquiring.length} waiting to acquire: ${names(lock.acquiring, threads)}`);
    if (lock.waitingForNotification.length > 0) out.push(`    ${lock.waitingForNotification.length} waiting for notification: ${names(lock.waitingForNotification, threads)}`);
    const at = lock.heldAt ?? (holder !== undefined ? holderFrame(report, holder) : null);
    if (at !== null) out.push(`    ${lock.heldAt !== null ? 'taken' : 'holder'} at ${at.text}`);
  }
  if (waited.length > LOCKS_SHOWN) out.push(`  ... ${count(waited.length - LOCKS_SHOWN)} more (--format json has them all)`);
  return out;
}

function topMethodLines(report: DumpReport): string[] {
  if (report.topMethods.length === 0) return [];
  const out = ['', 'Top running methods (top frames of running application threads)'];
  for (const m of report.topMethods) {
    const dumps = report.dumps.length > 1 ? `, in ${m.dumps} of ${report.dumps.length} dumps` : '';
    const from = m.appFrame !== null && m.appFrame.text !== m.frame.text ? `, from ${m.appFrame.text}` : '';
    out.push(`  ${String(m.count).padStart(4)}  ${m.frame.text}${dumps}${from}`);
  }
  return out;
}

function overTimeLines(report: DumpReport): string[] {
  const t = report.overTime;
  if (t === null) return [];
  const span = t.seconds !== null ? ` over ${count(Math.round(t.seconds))} s` : '';
  const out = ['', `Over time: ${t.dumps.length} dumps${t.pid !== null ? ` of pid ${t.pid}` : ''}${span}`];
  if (t.stuck.length > 0) {
    out.push(`  Stuck in the same frames in every dump${t.seconds !== null ? ` (at least ${count(Math.round(t.seconds))} s)` : ''}:`);
    for (const s of t.stuck.slice(0, STUCK_SHOWN)) out.push(`    "${s.name}"  ${s.state} ${s.activity}${s.appFrame !== null ? `  at ${s.appFrame.text}` : s.frame !== null ? `  at ${s.frame.text}` : ''}`);
    if (t.stuck.length > STUCK_SHOWN) out.push(`    ... ${count(t.stuck.length - STUCK_SHOWN)} more`);
  } else out.push('  No thread sits in the same frames in every dump.');
  if (t.hot.length > 0) {
    out.push('  CPU time used between the first and the last dump:');
    for (const h of t.hot) out.push(`    "${h.name}"  +${count(Math.round(h.cpuMs))} ms${h.share !== null ? ` (${Math.round(h.share * 100)}% of one CPU)` : ''}`);
  }
  for (const p of t.pools) out.push(`  Pool ${p.name}: busy ${p.busy.map((b) => (b === null ? '-' : String(b))).join(' -> ')}`);
  return out;
}

function lockName(lock: LockJson): string {
  const address = /^0x/.test(lock.address) ? lock.address : `@${lock.address}`;
  return `${lock.className ?? (lock.kind === 'monitor' ? 'monitor' : 'synchronizer')} <${address}>`;
}

function names(ids: readonly string[], threads: Map<string, ThreadJson>): string {
  const shown = ids.slice(0, NAMES_SHOWN).map((id) => `"${threads.get(id)?.name ?? id}"`);
  return shown.join(', ') + (ids.length > NAMES_SHOWN ? `, ${count(ids.length - NAMES_SHOWN)} more` : '');
}

/** The holder's own code: the first application frame of its stack. */
function holderFrame(report: DumpReport, holder: ThreadJson): FrameJson | null {
  const group = report.threads.groups.find((g) => g.id === holder.group);
  return group?.appFrame ?? group?.frames[0] ?? null;
}
