// The extension's settings (contributes.configuration in package.json), as the server reads them.
import type { SeveritySetting } from '../analysis/engine';
import { RULES } from '../analysis/rules';
import { PROFILES, TEST_CODE_POLICIES, type Profile, type TestCodePolicy } from '../analysis/scope/policy';

export interface Settings {
  /** Per rule: a severity override, or 'off'. Rules not listed keep their defaults. */
  readonly severities: Readonly<Record<string, SeveritySetting>>;
  /** Globs of files that get no diagnostics and are not scanned. */
  readonly exclude: readonly string[];
  /** Host names that also mean "this machine" for self-call. */
  readonly extraHosts: readonly string[];
  /** `default`: certain findings in production server code; `strict`: everything. */
  readonly profile: Profile;
  /** Findings in test files: hidden, shown as info, or reported. */
  readonly testCode: TestCodePolicy;
}

export const DEFAULT_SETTINGS: Settings = { severities: {}, exclude: [], extraHosts: [], profile: 'default', testCode: 'hide' };

const SEVERITIES = new Set(['off', 'info', 'warning', 'error']);

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** Reads the `closewait` section as the client sends it; anything malformed falls back to the default. */
export function readSettings(section: unknown): Settings {
  if (!section || typeof section !== 'object') return DEFAULT_SETTINGS;
  const raw = section as Record<string, unknown>;
  const severities: Record<string, SeveritySetting> = {};
  const rules = raw.rules && typeof raw.rules === 'object' ? (raw.rules as Record<string, unknown>) : {};
  for (const rule of RULES) {
    const entry = rules[rule.meta.id];
    const severity = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).severity : undefined;
    if (typeof severity === 'string' && SEVERITIES.has(severity)) severities[rule.meta.id] = severity as SeveritySetting;
  }
  const selfCall = raw.selfCall && typeof raw.selfCall === 'object' ? (raw.selfCall as Record<string, unknown>) : {};
  const profile = PROFILES.find((p) => p === raw.profile) ?? DEFAULT_SETTINGS.profile;
  const testCode = TEST_CODE_POLICIES.find((p) => p === raw.testCode) ?? DEFAULT_SETTINGS.testCode;
  return { severities, exclude: strings(raw.exclude), extraHosts: strings(selfCall.extraHosts), profile, testCode };
}

/** A key that changes whenever settings that affect findings change (the incremental analyzer's cache key). */
export function settingsKey(settings: Settings): string {
  return JSON.stringify([settings.severities, settings.extraHosts, settings.profile, settings.testCode]);
}
