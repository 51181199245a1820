// Runs the enabled rules over one parsed file and turns their reports into findings: severities applied,
// suppressions honoured, a rule that throws isolated from the others.
import { createHash } from 'node:crypto';
import type { Node } from 'web-tree-sitter';
import type { WorkspaceFacts } from './facts/workspace';
import { isListed, NO_FACTS } from './facts/workspace';
import type { Finding, Severity } from './finding';
import { FileModel } from './model';
import { deadCodeAt, type DeadCode } from './flow/dead-code';
import { runsOnceAtTopLevel } from './flow/one-shot';
import { languageForPath } from './parse/grammars';
import { AnalysisTimeout, countSyntaxErrors, firstSyntaxErrorLine, parseSource, ParseTimeout, skipReason, type SourceFile } from './parse/source';
import { RULES } from './rules';
import type { Report, Rule } from './rules/rule';
import { applyPolicy, fileRole, NO_HIDDEN, type FileRole, type HiddenCounts, type PolicyOptions } from './scope/policy';
import { readSuppressions } from './suppressions';

export type SeveritySetting = Severity | 'off';

/** Why a finding in a class no other file refers to is strict only (see facts/java-references.ts). */
const DEAD_CODE = 'no other file of the workspace refers to this class (dead code, or used only from outside it)';
/** Why a finding in a Maven module no aggregator lists is strict only (see facts/maven-modules.ts). */
const UNBUILT = (module: string) => `the Maven module ${module}/ is outside the build: no aggregating pom lists it`;
/** Why a finding in code private to its file, which the file never names, is strict only (see flow/dead-code.ts). */
const UNCALLED = (dead: DeadCode) =>
  dead.workspace
    ? `nothing calls ${dead.name}: no other file of the workspace names it, nor does its own elsewhere (dead code, or called only from outside the workspace)`
    : `nothing can call ${dead.name}: private to this file, which names it nowhere else (dead code)`;

/** Why a finding at the top level of a module that exports nothing is strict only (see flow/one-shot.ts). */
const ONCE = 'runs once per process, at the top level of a module that exports nothing (a script, or start-up)';

export interface AnalyzeOptions extends PolicyOptions {
  /** Only these rule ids run; all rules when absent or empty. */
  readonly rules?: readonly string[];
  /** Per-rule severity overrides; 'off' disables the rule. */
  readonly severities?: Readonly<Record<string, SeveritySetting>>;
  readonly facts?: WorkspaceFacts;
  /** The rule set to run (tests and the language server may swap in their own). */
  readonly ruleSet?: readonly Rule[];
  /** How long the rules may spend on one file (default ANALYSIS_DEADLINE_MS); past it the file is skipped. */
  readonly deadlineMs?: number;
}

export interface RuleFailure {
  readonly rule: string;
  readonly message: string;
}

export interface FileAnalysis {
  readonly findings: Finding[];
  /** ERROR/MISSING nodes in the tree: the file was analysed where it parsed. */
  readonly syntaxErrors: number;
  /** Where the first of them is (1-based line), so a report can point at it. */
  readonly firstSyntaxErrorLine?: number;
  /** Rules that threw on this file; the other rules still reported. */
  readonly failures: RuleFailure[];
  /** Findings the policy (profile, test code, browser code) kept out of `findings`. */
  readonly hidden: HiddenCounts;
  /** Test or browser code, and why: what the policy was applied to. */
  readonly role: FileRole;
}

export type TextAnalysis = ({ readonly skipped?: undefined } & FileAnalysis) | { readonly skipped: string };

function activeRules(options: AnalyzeOptions, family: 'java' | 'js'): Rule[] {
  const only = options.rules && options.rules.length > 0 ? new Set(options.rules) : undefined;
  return (options.ruleSet ?? RULES).filter(
    (rule) => rule.meta.families.includes(family) && (!only || only.has(rule.meta.id)) && options.severities?.[rule.meta.id] !== 'off',
  );
}

function enclosingName(node: Node, model: FileModel): string {
  for (let fn = model.functionOf(node); fn; fn = model.functionOf(fn)) {
    const name = fn.childForFieldName('name')?.text;
    if (name) return name;
  }
  return '';
}

/** Rule + enclosing function + the flagged source with whitespace folded: survives unrelated line shifts. */
export function fingerprintOf(rule: string, node: Node, model: FileModel): string {
  const source = node.text.replace(/\s+/g, ' ').trim().slice(0, 500);
  return createHash('sha256').update(`${rule}\0${enclosingName(node, model)}\0${source}`).digest('hex').slice(0, 20);
}

/** A finding with the index where its node starts: enough to tell which part of the file it belongs to. */
export interface LocatedFinding {
  readonly finding: Finding;
  readonly startIndex: number;
}

/** Runs the active rules on `model` (all of it, or what `model.restrictTo` left) and returns located findings. */
export function runRules(model: FileModel, options: AnalyzeOptions): { located: LocatedFinding[]; failures: RuleFailure[] } {
  const { file } = model;
  const suppressions = readSuppressions(file.text);
  const facts = options.facts ?? NO_FACTS;
  // A class no other file refers to is dead code, a module outside the Maven build is never shipped: strict only; so
  // is a function or method that nothing names (flow/dead-code.ts).
  const unbuilt = model.isJava ? facts.unbuiltMavenModules.find((module) => file.path.startsWith(`${module}/`)) : undefined;
  const strictOnlyBecause = model.isJava && isListed(facts.unreferencedJavaFiles, file.path) ? DEAD_CODE : unbuilt !== undefined ? UNBUILT(unbuilt) : undefined;
  const located: LocatedFinding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of activeRules(options, model.dialect.family)) {
    if (!rule.keywords.test(file.text) && !rule.workspaceKeywords?.(facts)?.test(file.text)) continue;
    const configured = options.severities?.[rule.meta.id];
    const report = (r: Report): void => {
      const start = r.node.startPosition;
      const end = r.node.endPosition;
      if (suppressions.isSuppressed(rule.meta.id, start.row + 1)) return;
      const dead = strictOnlyBecause ? undefined : deadCodeAt(r.node, model, facts);
      const because = strictOnlyBecause ?? (dead !== undefined ? UNCALLED(dead) : rule.meta.id !== 'self-call' && runsOnceAtTopLevel(r.node, model) ? ONCE : undefined);
      const finding: Finding = {
        rule: rule.meta.id,
        severity: configured && configured !== 'off' ? configured : (r.severity ?? rule.meta.defaultSeverity),
        file: file.path,
        line: start.row + 1,
        column: start.column + 1,
        endLine: end.row + 1,
        endColumn: end.column + 1,
        message: r.message,
        ...(r.resource ? { resource: r.resource } : {}),
        ...(r.related && r.related.length > 0 ? { related: r.related } : {}),
        confidence: because ? 'possible' : (r.confidence ?? 'certain'),
        basis: because ? [r.basis, because].filter(Boolean).join('; ') : r.basis,
        fingerprint: fingerprintOf(rule.meta.id, r.node, model),
      };
      located.push({ finding, startIndex: r.node.startIndex });
    };
    try {
      rule.check({ model, facts, report });
    } catch (error) {
      // Out of time is about the file, not the rule: the caller skips the whole file.
      if (error instanceof AnalysisTimeout) throw error;
      failures.push({ rule: rule.meta.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { located, failures };
}

export function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}

/** The policy's view of a file's findings: what it keeps, what it hides, and the file's role. */
export function withPolicy(file: SourceFile, all: Finding[], options: AnalyzeOptions): Pick<FileAnalysis, 'findings' | 'hidden' | 'role'> {
  const role = fileRole(file.path, file.text, options.facts);
  const { findings, hidden } = all.length > 0 ? applyPolicy(all, role, options) : { findings: all, hidden: NO_HIDDEN };
  return { findings: findings.sort(byPosition), hidden, role };
}

/** Runs the rules on a parsed file; throws AnalysisTimeout when they take longer than the deadline. */
export function analyzeFile(file: SourceFile, options: AnalyzeOptions = {}): FileAnalysis {
  const { located, failures } = runRules(new FileModel(file, options.deadlineMs), options);
  const all = located.map((l) => l.finding);
  const syntaxErrors = countSyntaxErrors(file.tree);
  return {
    ...withPolicy(file, all, options),
    syntaxErrors,
    ...(syntaxErrors > 0 ? { firstSyntaxErrorLine: firstSyntaxErrorLine(file.tree) } : {}),
    failures,
  };
}

/** Parses and analyses one file's text; files that must not be parsed come back as skipped with the reason. */
export function analyzeText(path: string, text: string, options: AnalyzeOptions = {}, byteLength?: number): TextAnalysis {
  const language = languageForPath(path);
  if (!language) return { skipped: 'not a Java, TypeScript or JavaScript file' };
  const reason = skipReason(path, text, byteLength);
  if (reason) return { skipped: reason };
  let file: SourceFile;
  try {
    file = parseSource(path, text, language);
  } catch (error) {
    if (error instanceof ParseTimeout) return { skipped: error.message };
    throw error;
  }
  return analyzeParsed(file, options);
}

/**
 * Analyses a file parsed by parseSource from a text analyzeText would analyse (not skipped), then deletes its tree:
 * what analyzeText does after its parse, for a caller that parsed the file already (the scan's facts pass).
 */
export function analyzeParsed(file: SourceFile, options: AnalyzeOptions = {}): TextAnalysis {
  try {
    return analyzeFile(file, options);
  } catch (error) {
    if (error instanceof AnalysisTimeout) return { skipped: error.message };
    throw error;
  } finally {
    file.tree.delete();
  }
}
