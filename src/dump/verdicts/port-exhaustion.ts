// port-exhaustion: connections from this machine to one remote endpoint (mostly TIME_WAIT left by short-lived
// connections) occupy close to every local port of the ephemeral range. A connection is the 4-tuple of addresses
// and ports, so towards one remote ip:port only the local port can vary; when the range is used up, connect()
// fails with EADDRNOTAVAIL ("Cannot assign requested address").
import type { Socket } from '../model';
import type { Finding, VerdictContext, VerdictRule } from './types';
import { clamp, endpointText, socketLines } from './evidence';
import { count } from '../words';

/** Share of the range in use from which exhaustion is near enough to report. */
const NEAR = 0.5;

export const portExhaustion: VerdictRule = {
  kind: 'port-exhaustion',
  why:
    'Every outgoing connection takes a local port, and the side that closes first keeps it in TIME_WAIT for a minute or more. When connections to one destination use up the ephemeral range, new connections to it fail until ports are freed.',
  evaluate(context) {
    // The listing alone: the same for every dump, so found once.
    return context.correlation.view.memo('port-exhaustion', () => exhaustedPeers(context));
  },
};

function exhaustedPeers(context: VerdictContext): Finding[] {
  const view = context.correlation.view;
  const { low, high } = context.ephemeralRange;
  const size = high - low + 1;
  // By remote host, then port (a key string per socket costs more than the rest of the rule); peers in the order
  // their first connection is listed.
  const byPeer = new Map<string, Map<number, Socket[]>>();
  const peers: Socket[][] = [];
  for (const s of view.sockets) {
    const port = s.remote.port;
    if (s.state === 'LISTEN' || view.direction(s) !== 'outbound' || port === null) continue;
    const local = s.local.port;
    if (local !== null && (local < low || local > high)) continue;
    let byPort = byPeer.get(s.remote.host);
    if (byPort === undefined) byPeer.set(s.remote.host, (byPort = new Map()));
    let list = byPort.get(port);
    if (list === undefined) {
      byPort.set(port, (list = []));
      peers.push(list);
    }
    list.push(s);
  }
  const findings: Finding[] = [];
  for (const sockets of peers) {
    const used = sockets.length / size;
    if (used < NEAR) continue;
    findings.push(finding(context, endpointText(sockets[0].remote.host, sockets[0].remote.port), sockets, size, used));
  }
  return findings;
}

function finding(context: VerdictContext, peer: string, sockets: Socket[], size: number, used: number): Finding {
  const { low, high } = context.ephemeralRange;
  const timeWait = sockets.filter((s) => s.state === 'TIME_WAIT').length;
  const established = sockets.filter((s) => s.state === 'ESTABLISHED').length;
  const exhausted = sockets.length >= size;
  return {
    kind: 'port-exhaustion',
    key: `port-exhaustion:${peer}`,
    title: `Local port exhaustion towards ${peer}`,
    confidence: clamp(0.5 + 0.45 * Math.min(1, (used - NEAR) / (1 - NEAR))),
    summary:
      `${count(sockets.length)} of the ${count(size)} local ports (${low}-${high}, ${context.ephemeralRangeSource}) are taken by connections to ${peer}` +
      `${timeWait > 0 ? `, ${count(timeWait)} of them in TIME_WAIT` : ''}: ` +
      `${exhausted ? 'the range is used up, and' : 'when the range is used up,'} new connections to ${peer} fail with "Cannot assign requested address" (EADDRNOTAVAIL). ` +
      'Each request opens and closes its own connection, and the side that closes first keeps the port in TIME_WAIT for a minute or more. ' +
      'Reuse connections instead: HTTP keep-alive and a connection pool (or a JDBC pool) with a sensible size. ' +
      'On Linux, net.ipv4.tcp_tw_reuse=1 lets new outbound connections reuse TIME_WAIT ports safely; never enable net.ipv4.tcp_tw_recycle, which drops connections from clients behind NAT and was removed in Linux 4.12. ' +
      'Widening ip_local_port_range only buys time.',
    evidence: {
      counts: { connections: sockets.length, timeWait, established, rangeSize: size },
      details: { peer, range: `${low}-${high}`, rangeSource: context.ephemeralRangeSource, share: `${Math.round(used * 100)}%` },
      lines: socketLines(context, sockets),
    },
    threads: [],
    sockets,
    frames: [],
  };
}
