// HotSpot's own deadlock report inside a dump (`Found one Java-level deadlock:`): which thread waits for which lock
// held by whom. The stacks it repeats below (`Java stack information for the threads listed above`) are the
// threads' stacks again and are not read twice.
import type { DeadlockEntry, ReportedDeadlock } from '../model';

export class DeadlockReportReader {
  private entry: DeadlockEntry | null = null;
  private stacks = false;

  constructor(readonly report: ReportedDeadlock) {}

  /** `"http-nio-8080-exec-1":` starts an entry (in the summary part only). */
  threadName(name: string): void {
    if (this.stacks) return;
    this.entry = { thread: name, waitsFor: null, heldBy: null };
    this.report.entries.push(this.entry);
  }

  /** 'end' when the line closes the report, 'report' when it belongs to it, null otherwise. */
  line(t: string): 'report' | 'end' | null {
    if (t.startsWith('Java stack information for the threads listed above')) {
      this.stacks = true;
      return 'report';
    }
    const entry = this.entry;
    if (t.startsWith('waiting to lock monitor') || t.startsWith('waiting for ownable synchronizer')) {
      if (entry !== null) entry.waitsFor = /object (0x[0-9a-fA-F]+)/.exec(t)?.[1] ?? /synchronizer (0x[0-9a-fA-F]+)/.exec(t)?.[1] ?? null;
      return 'report';
    }
    if (t.startsWith('which is held by')) {
      if (entry !== null) entry.heldBy = /"(.*)"/.exec(t)?.[1] ?? null;
      return 'report';
    }
    if (/^Found (?:\d+|a total of \d+) deadlocks?/.test(t)) return 'end';
    return t.startsWith('=') || t.startsWith('JNI global') ? 'report' : null;
  }
}
