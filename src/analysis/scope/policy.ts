// What the default profile shows: findings that are certain, in production server code. Test code, browser code
// and findings built on a guess are hidden (and counted, so every face can say how many and how to see them).
import type { WorkspaceFacts } from '../facts/workspace';
import type { Finding } from '../finding';
import { browserCodeReason } from './browser-code';
import { testCodeReason } from './test-code';

/** `default`: certain findings in production server code. `strict`: every finding (test code still follows its policy). */
export type Profile = 'default' | 'strict';
/** Test code's findings: not reported, reported as info, or reported like production code's. */
export type TestCodePolicy = 'hide' | 'info' | 'report';

export const PROFILES: readonly Profile[] = ['default', 'strict'];
export const TEST_CODE_POLICIES: readonly TestCodePolicy[] = ['hide', 'info', 'report'];

export interface PolicyOptions {
  readonly profile?: Profile;
  readonly testCode?: TestCodePolicy;
}

/** How many findings a policy kept out of the report, by reason. */
export interface HiddenCounts {
  readonly testCode: number;
  readonly browserCode: number;
  /** Findings built on a guess: shown by the strict profile. */
  readonly strictOnly: number;
}

export const NO_HIDDEN: HiddenCounts = { testCode: 0, browserCode: 0, strictOnly: 0 };

export function addHidden(a: HiddenCounts, b: HiddenCounts): HiddenCounts {
  return { testCode: a.testCode + b.testCode, browserCode: a.browserCode + b.browserCode, strictOnly: a.strictOnly + b.strictOnly };
}

export function totalHidden(h: HiddenCounts): number {
  return h.testCode + h.browserCode + h.strictOnly;
}

/** What kind of code a file holds, with the reason (for logs and hovers). */
export interface FileRole {
  readonly test?: string;
  readonly browser?: string;
}

export function fileRole(path: string, text: string, facts?: WorkspaceFacts): FileRole {
  const test = testCodeReason(path, facts, text);
  const browser = /\.[cm]?[jt]sx?$/.test(path) ? browserCodeReason(path, text, facts) : undefined;
  return { ...(test ? { test } : {}), ...(browser ? { browser } : {}) };
}

/** The findings a file's role and the policy let through, and how many were held back. */
export function applyPolicy(findings: readonly Finding[], role: FileRole, options: PolicyOptions): { findings: Finding[]; hidden: HiddenCounts } {
  const profile = options.profile ?? 'default';
  const testCode = options.testCode ?? 'hide';
  if (role.test && testCode === 'hide') return { findings: [], hidden: { ...NO_HIDDEN, testCode: findings.length } };
  if (profile === 'strict') return { findings: role.test && testCode === 'info' ? findings.map(asInfo) : [...findings], hidden: NO_HIDDEN };
  if (role.browser) return { findings: [], hidden: { ...NO_HIDDEN, browserCode: findings.length } };
  const kept = findings.filter((f) => f.confidence === 'certain');
  const hidden = { ...NO_HIDDEN, strictOnly: findings.length - kept.length };
  return { findings: role.test && testCode === 'info' ? kept.map(asInfo) : kept, hidden };
}

function asInfo(f: Finding): Finding {
  return f.severity === 'info' ? f : { ...f, severity: 'info' };
}
