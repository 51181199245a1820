// The attributes of a HotSpot thread header after the quoted name: `#31 [11315] daemon prio=5 os_prio=0
// cpu=6248.64ms elapsed=24705.74s tid=0x00007f334ba2d000 nid=0x2c33 waiting on condition  [0x00007f8a6a7db000]`,
// or VisualVM's `- Thread t@332`.
import type { JavaThread } from '../model';
import { stateFromHeaderWords } from './builder';

/** Fills the thread from its header; true when the header is VisualVM's. */
export function readHotspotHeader(thread: JavaThread, header: string): boolean {
  const visualvm = /^\s*-\s+Thread\s+t@(\d+)/.exec(header);
  if (visualvm) thread.number = Number(visualvm[1]);
  else {
    const number = /(?:^|\s)#(\d+)/.exec(header);
    if (number) thread.number = Number(number[1]);
  }
  thread.daemon = /(?:^|\s)daemon(?:\s|$)/.test(header);
  const prio = /(?:^|\s)prio=(\d+)/.exec(header);
  if (prio) thread.priority = Number(prio[1]);
  const tid = /(?:^|\s)tid=(0x[0-9a-fA-F]+|[0-9a-fA-F]+)/.exec(header);
  if (tid) thread.tid = tid[1];
  const nid = /(?:^|\s)nid=(0x[0-9a-fA-F]+|\d+)/.exec(header);
  if (nid) thread.nid = nid[1];
  const cpu = /(?:^|\s)cpu=([\d.]+)/.exec(header);
  if (cpu) thread.cpuMs = Number(cpu[1]);
  const words = headerStateWords(header, nid ?? tid);
  if (words !== '') thread.stateDetail = words;
  thread.state = stateFromHeaderWords(words);
  return visualvm !== null;
}

/** The words between the ids and the stack address: `waiting on condition`, `runnable`, `in Object.wait()`. */
function headerStateWords(header: string, lastId: RegExpExecArray | null): string {
  if (lastId === null) return '';
  const tail = header.slice(lastId.index + lastId[0].length);
  return tail.replace(/\s*\[[^\]]*\]?\s*$/, '').trim();
}
