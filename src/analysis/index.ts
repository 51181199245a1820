// The static-analysis core's public face. No vscode, no LSP types, no output formats.
export { analyzeFile, analyzeText, type AnalyzeOptions, type FileAnalysis, type TextAnalysis, type SeveritySetting } from './engine';
export type { Finding, Severity, RelatedLocation } from './finding';
export { SEVERITY_ORDER } from './finding';
export { loadAllLanguages, languageForPath, SOURCE_EXTENSIONS, type LanguageId } from './parse/grammars';
export { parseSource, type SourceFile } from './parse/source';
export { RULES, ruleById } from './rules';
export { helpUri, type Rule, type RuleMeta } from './rules/rule';
export { NO_FACTS, type WorkspaceFacts } from './facts/workspace';
