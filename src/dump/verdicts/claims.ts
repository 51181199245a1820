// What earlier verdicts of a dump already explained, so that later ones do not report the same threads or sockets
// again. Sockets are claimed as the lists the findings hold, not one by one: every dump of a process claims the same
// (shared) lists of thousands of connections, and claiming them must not cost dumps x sockets.
import type { JavaThread, Socket } from '../model';

export class Claims {
  readonly threads = new Set<JavaThread>();
  private readonly lists: (readonly Socket[])[] = [];

  claimSockets(sockets: readonly Socket[]): void {
    if (sockets.length > 0 && !this.lists.includes(sockets)) this.lists.push(sockets);
  }

  hasSocket(socket: Socket): boolean {
    for (const list of this.lists) if (setOf(list).has(socket)) return true;
    return false;
  }

  /** `sockets` less the claimed ones: the same array when none is claimed, else one array per combination of claims. */
  unclaimed(sockets: readonly Socket[]): readonly Socket[] {
    const hitting = this.lists.filter((list) => overlaps(list, sockets));
    if (hitting.length === 0) return sockets;
    const key = hitting.map(idOf).join(',');
    let cache = filtered.get(sockets);
    if (cache === undefined) filtered.set(sockets, (cache = new Map()));
    let rest = cache.get(key);
    if (rest === undefined) cache.set(key, (rest = sockets.filter((s) => !hitting.some((list) => setOf(list).has(s)))));
    return rest;
  }
}

const sets = new WeakMap<readonly Socket[], Set<Socket>>();
const ids = new WeakMap<readonly Socket[], number>();
const overlapping = new WeakMap<readonly Socket[], WeakMap<readonly Socket[], boolean>>();
const filtered = new WeakMap<readonly Socket[], Map<string, readonly Socket[]>>();
let nextId = 0;

function setOf(list: readonly Socket[]): Set<Socket> {
  let set = sets.get(list);
  if (set === undefined) sets.set(list, (set = new Set(list)));
  return set;
}

function idOf(list: readonly Socket[]): number {
  let id = ids.get(list);
  if (id === undefined) ids.set(list, (id = nextId++));
  return id;
}

function overlaps(a: readonly Socket[], b: readonly Socket[]): boolean {
  let known = overlapping.get(a);
  if (known === undefined) overlapping.set(a, (known = new WeakMap()));
  let answer = known.get(b);
  if (answer === undefined) {
    const [small, large] = a.length <= b.length ? [a, b] : [b, a];
    const set = setOf(large);
    answer = small.some((s) => set.has(s));
    known.set(b, answer);
  }
  return answer;
}
