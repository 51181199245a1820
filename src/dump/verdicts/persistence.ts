// The over-time view as evidence: a verdict whose threads sit in the same frames in every dump of a series is
// surer than one that a single dump shows (a self-call that persists across dumps is a deadlock, not a slow moment).
import type { Timeline } from '../insights/timeline';
import type { Finding } from './types';
import { clamp } from './evidence';
import { count } from '../words';

export function withPersistence(findings: readonly Finding[], timeline: Timeline | null): Finding[] {
  if (timeline === null || timeline.stuck.length === 0) return [...findings];
  const stuckKeys = new Set(timeline.stuck.map((s) => s.key));
  const updated = findings.map((finding) => {
    const stuck = finding.threads.filter((t) => stuckKeys.has(t.key)).length;
    // Most of its threads, not one bystander: the cause itself did not move.
    if (stuck === 0 || stuck * 2 < finding.threads.length) return finding;
    const span = timeline.seconds !== null ? `at least ${count(Math.round(timeline.seconds))} s over ${timeline.dumps.length} dumps` : `${timeline.dumps.length} dumps`;
    return {
      ...finding,
      confidence: clamp(Math.min(0.99, Math.max(finding.confidence, finding.confidence + 0.05))),
      summary: `${finding.summary} ${stuck === finding.threads.length ? 'All' : count(stuck)} of its ${count(finding.threads.length)} threads sat in the same frames for ${span}.`,
      evidence: { ...finding.evidence, counts: { ...finding.evidence.counts, stuckAcrossDumps: stuck }, details: { ...finding.evidence.details, stuckFor: span } },
    };
  });
  return updated.sort((a, b) => b.confidence - a.confidence);
}
