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
import { Claims } from './claims';

const RULES: readonly VerdictRule[] = [javaDeadlock, pinnedCarrier, selfCallDeadlock, poolExhaustion, slowPeer, socketLeak, portExhaustion];

export function whyOf(kind: VerdictKind): string {
  return RULES.find((r) => r.kind === kind)?.why ?? '';
}

export interface Verdicts {
  findings: Finding[];
  /** Rules that failed (a defect of ours): the other rules' verdicts stand. */
  failures: string[];
}

export function findVerdicts(base: Omit<VerdictContext, 'analysis' | 'claimed'>): Verdicts {
  const analyses = base.correlation.dumps.length > 0 ? base.correlation.dumps : [null];
  const merged = new Map<string, { finding: Finding; dumps: number }>();
  const failures = new Map<VerdictKind, string>();
  for (const analysis of analyses) {
    const context: VerdictContext = { ...base, analysis, claimed: new Claims() };
    for (const rule of RULES) {
      let found: Finding[];
      try {
        found = rule.evaluate(context);
      } catch (error) {
        if (!failures.has(rule.kind)) failures.set(rule.kind, `the ${rule.kind} verdict failed (${error instanceof Error ? error.message : String(error)}); the other verdicts stand`);
        continue;
      }
      for (const finding of found) {
        for (const t of finding.threads) context.claimed.threads.add(t);
        context.claimed.claimSockets(finding.sockets);
        const known = merged.get(finding.key);
        // The latest dump's threads, but the strongest confidence any dump gave.
        const confidence = Math.max(finding.confidence, known?.finding.confidence ?? 0);
        merged.set(finding.key, { finding: { ...finding, confidence }, dumps: (known?.dumps ?? 0) + 1 });
      }
    }
  }
  const findings = [...merged.values()].map(({ finding, dumps }) => acrossDumps(finding, dumps, analyses.length));
  const order = (f: Finding): number => RULES.findIndex((r) => r.kind === f.kind);
  return { findings: findings.sort((a, b) => b.confidence - a.confidence || order(a) - order(b)), failures: [...failures.values()] };
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
