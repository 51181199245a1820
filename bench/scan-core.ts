// What the scan bench times in-process, gathered into one entry point so bench/bundle.ts can bundle it as the CLI is.
export { analyzeText } from '../src/analysis/engine';
export { FileModel } from '../src/analysis/model';
export { runRules } from '../src/analysis/engine';
export { RULES } from '../src/analysis/rules';
export { gatherFacts } from '../src/analysis/facts';
export { languageForPath, loadAllLanguages, parserFor } from '../src/analysis/parse/grammars';
export { parseSource, skipReason } from '../src/analysis/parse/source';
export { readSource } from '../src/files/read-source';
export { scan } from '../src/cli/scan';
