// slow-peer: many threads blocked reading answers from one remote, whose connections are open (ESTABLISHED) and
// not closed by it (no CLOSE_WAIT): the peer accepted the requests and is slow to answer. Without a read timeout
// those threads wait as long as the peer does. For a Node.js server with a diagnostic report: connections whose
// requests it has read and never answers.
import type { JavaThread, NodeReport, Socket } from '../model';
import type { NodeProcess } from '../node/join';
import type { EvidenceLine, Finding, VerdictContext, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, endpointText, frameLine, headerLine, socketLines } from './evidence';
import { plural, shortFrame } from '../words';

export const slowPeer: VerdictRule = {
  kind: 'slow-peer',
  why:
    'A blocking read waits until the peer sends data or closes the connection; without a read timeout it can wait forever. When a dependency answers slowly, every thread calling it is held, and this server\'s own clients start to time out.',
  evaluate(context) {
    return [...javaReaders(context), ...nodeServers(context)];
  },
};

function javaReaders(context: VerdictContext): Finding[] {
  const analysis = context.analysis;
  if (analysis === null) return [];
  const readers = analysis.dump.threads.filter((t) => {
    const act = analysis.activity.get(t);
    return act !== undefined && act.kind === 'socket-read' && !act.serverSide && !context.claimed.threads.has(t);
  });
  if (readers.length < context.thresholds.slowPeerReaders) return [];
  const byPeer = outboundByPeer(context, analysis.pid);
  const clientReaders = readers.filter((t) => analysis.activity.get(t)?.client !== null);
  if (byPeer.size === 0) {
    // No listing: only readers inside a known client library say they wait for a peer.
    return clientReaders.length >= context.thresholds.slowPeerReaders ? [finding(context, clientReaders, null)] : [];
  }
  let best: { peer: string; established: Socket[]; closeWait: number } | null = null;
  for (const [peer, entry] of byPeer) if (best === null || entry.established.length > best.established.length) best = { peer, ...entry };
  if (best === null || best.established.length < context.thresholds.slowPeerReaders || best.closeWait > 0) return [];
  return [finding(context, readers, best)];
}

/** The process's outbound connections by peer: those still open, and how many the peer closed. */
function outboundByPeer(context: VerdictContext, pid: number | null): Map<string, { established: Socket[]; closeWait: number }> {
  const view = context.correlation.view;
  return view.memo(`outbound-by-peer:${pid}`, () => {
    const byPeer = new Map<string, { established: Socket[]; closeWait: number }>();
    for (const s of view.of(pid).outbound) {
      const peer = endpointText(s.remote.host, s.remote.port);
      let entry = byPeer.get(peer);
      if (entry === undefined) byPeer.set(peer, (entry = { established: [], closeWait: 0 }));
      if (s.state === 'ESTABLISHED') entry.established.push(s);
      if (s.state === 'CLOSE_WAIT') entry.closeWait++;
    }
    return byPeer;
  });
}

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

/**
 * A Node.js server, known from its diagnostic report, holding connections whose requests it has read (Recv-Q 0) and
 * to which it writes nothing (Send-Q 0), while no connection to the port completes (no TIME_WAIT): its handlers
 * never answer. From the listing alone this looks like idle keep-alive connections, so the report is required; a
 * snapshot still cannot tell them from keep-alive connections younger than the server's keepAliveTimeout (5 s by
 * default), hence the modest confidence.
 */
function nodeServers(context: VerdictContext): Finding[] {
  // The listing and the reports alone: the same for every dump, so found once.
  return context.correlation.view.memo('slow-peer:node', () => nodeFindings(context));
}

function nodeFindings(context: VerdictContext): Finding[] {
  const view = context.correlation.view;
  const findings: Finding[] = [];
  for (const node of context.nodeProcesses) {
    for (const port of node.listening) {
      const inbound = view.sockets.filter((s) => s.local.port === port && view.direction(s) === 'inbound');
      const waiting = inbound.filter((s) => s.state === 'ESTABLISHED' && s.recvQ === 0 && s.sendQ === 0 && node.handleOf.get(s)?.active === true);
      const answered = inbound.filter((s) => s.state === 'TIME_WAIT').length;
      if (waiting.length < context.thresholds.slowPeerReaders || answered >= waiting.length || loopState(node.report) === 'busy') continue;
      findings.push(nodeFinding(context, node, port, waiting, answered));
    }
  }
  return findings;
}

function nodeFinding(context: VerdictContext, node: NodeProcess, port: number, waiting: Socket[], answered: number): Finding {
  const report = node.report;
  const view = context.correlation.view;
  const ends = new Set(waiting.map((s) => `${s.remote.host}|${s.remote.port}`));
  const clientEnds = view.sockets.filter((s) => s.remote.port === port && ends.has(`${s.local.host}|${s.local.port}`));
  const clients = distinct(clientEnds.map((s) => (s.pid !== null ? `${s.pid}${s.program !== null ? ` (${s.program})` : ''}` : null)));
  const idle = loopState(report) === 'idle';
  const server = `the Node.js server on ${endpointText(waiting[0].local.host, port)}${report.pid !== null ? ` (pid ${report.pid})` : ''}`;
  const loop = idle
    ? 'its event loop is idle (the report shows no JavaScript running), so the handlers are waiting for something that never completes, or never end the response (res.end())'
    : 'the report was written from JavaScript (process.report), so it cannot tell whether the loop was idle; if it was, the handlers are waiting for something that never completes, or never end the response (res.end())';
  const lines = [...socketLines(context, waiting, 3), ...socketLines(context, clientEnds, 1)];
  // The line under `"javascriptStack"`: its message, empty when no JavaScript was running.
  const stackLine = reportLine(context, report, '"javascriptStack"');
  if (stackLine !== null) lines.push({ ...stackLine, line: stackLine.line + 1, text: context.lineText(report.input, stackLine.line + 1) });
  return {
    kind: 'slow-peer',
    key: `slow-peer:node:${report.pid ?? '?'}:${port}`,
    title: `Slow peer: ${server.replace(/^the /, '')}`,
    confidence: idle ? 0.6 : 0.55,
    summary:
      `${plural(waiting.length, 'connection')}${clients.length > 0 ? ` from process ${clients.slice(0, 2).join(', ')}` : ''} wait on ${server}: ` +
      `it has read their requests (Recv-Q 0) and writes nothing back (Send-Q 0), and ${answered === 0 ? 'no connection to the port has completed recently (no TIME_WAIT)' : `only ${plural(answered, 'connection')} to the port completed recently`}; ${loop}. ` +
      'Every client without a timeout waits as long. Find the handler that can miss res.end() (an error path, an awaited promise that never settles, a callback never called), and put a timeout on what it awaits.',
    evidence: {
      counts: { waitingConnections: waiting.length, completedRecently: answered },
      details: { port: String(port), ...(report.pid !== null ? { pid: String(report.pid) } : {}), eventLoop: idle ? 'idle' : 'unknown', ...(clients.length > 0 ? { clients: clients.join(', ') } : {}) },
      lines,
    },
    threads: [],
    sockets: [...waiting, ...clientEnds],
    frames: [],
  };
}

/**
 * What the main thread was doing when the report was written. On a signal, Node prints JavaScript only when the loop
 * was running some (a loop blocked by a handler is another cause); from process.report the stack is the caller's.
 */
function loopState(report: NodeReport): 'idle' | 'busy' | 'unknown' {
  if (report.event === 'JavaScript API') return 'unknown';
  return report.jsStack.length > 0 ? 'busy' : 'idle';
}

/** The first line of a report holding `needle`, searched from the report's start. */
function reportLine(context: VerdictContext, report: NodeReport, needle: string): EvidenceLine | null {
  for (let line = report.line; line < report.line + 2000; line++) {
    const text = context.lineText(report.input, line);
    if (text.length > 200) return null;
    if (text.includes(needle)) return { input: report.input, line, text };
  }
  return null;
}
