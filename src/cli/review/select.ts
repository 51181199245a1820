// Review mode's question: of everything the scan found, what does this change add? The baseline removes what was
// accepted, then the diff removes what the change did not touch.
import type { Finding } from '../../analysis/finding';
import { applyBaseline, type Baseline, type BaselineEntry } from './baseline';
import { isTouched, type DiffBase } from './diff';

export interface ReviewScope {
  readonly baseline?: Baseline;
  readonly diff?: DiffBase;
}

export interface Selection {
  /** What to report. */
  readonly findings: Finding[];
  /** Findings the baseline accepted. */
  readonly accepted: number;
  /** Findings in code the change did not touch. */
  readonly untouched: number;
  /** Baseline entries no finding matched. */
  readonly unmatched: readonly BaselineEntry[];
  /** Whether anything was filtered at all: the report is about new findings, not all of them. */
  readonly onlyNew: boolean;
}

export function selectFindings(all: readonly Finding[], scope: ReviewScope, cwd: string): Selection {
  const diff = scope.diff;
  const touched = diff ? (f: Finding) => isTouched(f, diff) : undefined;
  // Baseline first, over every finding, told what the change touched: with two identical findings and one entry,
  // the entry must go to the old copy, or the diff would hide the old one and the baseline accept the new one.
  const matched = scope.baseline ? applyBaseline(all, scope.baseline, cwd, touched) : { remaining: [...all], accepted: 0, unmatched: [] };
  const findings = touched ? matched.remaining.filter(touched) : matched.remaining;
  return {
    findings,
    accepted: matched.accepted,
    untouched: matched.remaining.length - findings.length,
    unmatched: matched.unmatched,
    onlyNew: scope.baseline !== undefined || scope.diff !== undefined,
  };
}
