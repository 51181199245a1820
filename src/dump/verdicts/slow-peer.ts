// slow-peer: many threads blocked reading answers from one remote, whose connections are open (ESTABLISHED) and
// not closed by it (no CLOSE_WAIT): the peer accepted the requests and is slow to answer. Without a read timeout
// those threads wait as long as the peer does.
import type { JavaThread, Socket } from '../model';
import type { Finding, VerdictContext, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, endpointText, frameLine, headerLine, socketLines } from './evidence';
import { plural, shortFrame } from '../words';

export const slowPeer: VerdictRule = {
  kind: 'slow-peer',
  why:
    'A blocking read waits until the peer sends data or closes the connection; without a read timeout it can wait forever. When a dependency answers slowly, every thread calling it is held, and this server\'s own clients start to time out.',
  evaluate(context) {
    const analysis = context.analysis;
    if (analysis === null) return [];
    const readers = analysis.dump.threads.filter((t) => {
      const act = analysis.activity.get(t);
      return act !== undefined && act.kind === 'socket-read' && !act.serverSide && !context.claimed.threads.has(t);
    });
    if (readers.length < context.thresholds.slowPeerReaders) return [];
    const view = context.correlation.view;
    const byPeer = new Map<string, { established: Socket[]; closeWait: number }>();
    for (const s of view.sockets) {
      if (!view.belongsTo(s, analysis.pid) || view.direction(s) !== 'outbound') continue;
      const peer = endpointText(s.remote.host, s.remote.port);
      let entry = byPeer.get(peer);
      if (entry === undefined) byPeer.set(peer, (entry = { established: [], closeWait: 0 }));
      if (s.state === 'ESTABLISHED') entry.established.push(s);
      if (s.state === 'CLOSE_WAIT') entry.closeWait++;
    }
    const clientReaders = readers.filter((t) => analysis.activity.get(t)?.client !== null);
    if (byPeer.size === 0) {
      // No listing: only readers inside a known client library say they wait for a peer.
      return clientReaders.length >= context.thresholds.slowPeerReaders ? [finding(context, clientReaders, null)] : [];
    }
    let best: { peer: string; established: Socket[]; closeWait: number } | null = null;
    for (const [peer, entry] of byPeer) if (best === null || entry.established.length > best.established.length) best = { peer, ...entry };
    if (best === null || best.established.length < context.thresholds.slowPeerReaders || best.closeWait > 0) return [];
    return [finding(context, readers, best)];
  },
};

function finding(context: VerdictContext, readers: JavaThread[], peer: { peer: string; established: Socket[] } | null): Finding {
  const activity = context.analysis?.activity;
  const libraries = distinct(readers.map((t) => activity?.get(t)?.client ?? null));
  const frames = distinct(readers.map((t) => applicationFrame(t, Math.max(0, activity?.get(t)?.frame ?? 0)))).slice(0, 3);
  const sockets = peer?.established ?? [];
  const matched = peer !== null ? Math.min(readers.length, sockets.length) / Math.max(readers.length, sockets.length) : 0;
  const idleQueues = sockets.filter((s) => s.recvQ === 0 && s.sendQ === 0).length;
  const first = readers[0];
  const readFrame = first.frames[activity?.get(first)?.frame ?? 0];
  const lines = [headerLine(context, first)];
  const readLine = readFrame !== undefined ? frameLine(context, first, readFrame) : null;
  if (readLine !== null) lines.push(readLine);
  lines.push(...socketLines(context, sockets));
  const via = libraries.length > 0 ? ` through ${libraries.join(', ')}` : '';
  const target = peer !== null ? peer.peer : 'a remote service';
  return {
    kind: 'slow-peer',
    key: `slow-peer:${peer?.peer ?? 'unknown'}`,
    title: `Slow peer: ${target}`,
    confidence: clamp(peer !== null ? 0.55 + 0.2 * matched + (readers.length >= 20 ? 0.1 : 0) : 0.4),
    summary:
      `${plural(readers.length, 'thread')} ${readers.length === 1 ? 'is' : 'are'} blocked reading a response${via}` +
      `${frames.length > 0 ? ` (called from ${frames.slice(0, 2).map(shortFrame).join(' and ')})` : ''}` +
      (peer !== null
        ? `, and the process holds ${plural(sockets.length, 'open connection')} to ${peer.peer}, none of them closed by the peer (no CLOSE_WAIT): ${peer.peer} accepted the requests and answers slowly or not at all. `
        : '. Which peer they wait for is not in the paste: a socket listing (`ss -tanp`) taken at the same time would show it. ') +
      'Without a read timeout these threads wait as long as the peer does. Set connect and read timeouts on the client, add a circuit breaker or bulkhead so one slow dependency cannot take every thread, and check the peer\'s health.',
    evidence: {
      counts: { readingThreads: readers.length, connectionsToPeer: sockets.length, ...(peer !== null ? { emptyQueues: idleQueues } : {}) },
      details: { ...(peer !== null ? { peer: peer.peer } : {}), ...(libraries.length > 0 ? { client: libraries.join(', ') } : {}) },
      lines,
    },
    threads: readers,
    sockets,
    frames,
  };
}
