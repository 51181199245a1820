// Runs every verdict rule on each dump of the paste (or once, on the socket listing alone), in an order where the
// more specific causes claim their threads and sockets first, and merges what several dumps show alike.
import type { Finding, VerdictContext, VerdictKind, VerdictRule } from './types';
import { javaDeadlock } from './java-deadlock';
import { selfCallDeadlock } from './self-call-deadlock';
import { poolExhaustion } from './pool-exhaustion';
import { slowPeer } from './slow-peer';
import { socketLeak } from './socket-leak';
import { portExhaustion } from './port-exhaustion';
import { pinnedCarrier } from './pinned-carrier';
import { clamp } from './evidence';

const RULES: readonly VerdictRule[] = [javaDeadlock, pinnedCarrier, selfCallDeadlock, poolExhaustion, slowPeer, socketLeak, portExhaustion];

export function whyOf(kind: VerdictKind): string {
  return RULES.find((r) => r.kind === kind)?.why ?? '';
}

export function findVerdicts(base: Omit<VerdictContext, 'analysis' | 'claimed'>): Finding[] {
  const analyses = base.correlation.dumps.length > 0 ? base.correlation.dumps : [null];
  const merged = new Map<string, { finding: Finding; dumps: number }>();
  for (const analysis of analyses) {
    const context: VerdictContext = { ...base, analysis, claimed: { threads: new Set(), sockets: new Set() } };
    for (const rule of RULES) {
      for (const found of rule.evaluate(context)) {
        for (const t of found.threads) context.claimed.threads.add(t);
        for (const s of found.sockets) context.claimed.sockets.add(s);
        const known = merged.get(found.key);
        // The latest dump's threads, but the strongest confidence any dump gave.
        const confidence = Math.max(found.confidence, known?.finding.confidence ?? 0);
        merged.set(found.key, { finding: { ...found, confidence }, dumps: (known?.dumps ?? 0) + 1 });
      }
    }
  }
  const findings = [...merged.values()].map(({ finding, dumps }) => acrossDumps(finding, dumps, analyses.length));
  const order = (f: Finding): number => RULES.findIndex((r) => r.kind === f.kind);
  return findings.sort((a, b) => b.confidence - a.confidence || order(a) - order(b));
}

/** A thread-level cause seen in every one of several dumps is not a passing moment. */
function acrossDumps(finding: Finding, dumps: number, total: number): Finding {
  if (total < 2 || finding.threads.length === 0) return finding;
  const persistent = dumps === total;
  return {
    ...finding,
    confidence: persistent && finding.confidence < 1 ? clamp(Math.min(0.99, finding.confidence + 0.05)) : finding.confidence,
    summary: `${finding.summary} Seen in ${dumps} of ${total} dumps.`,
    evidence: { ...finding.evidence, counts: { ...finding.evidence.counts, dumpsShowing: dumps, dumps: total } },
  };
}
