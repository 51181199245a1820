// Loads web-tree-sitter and the four grammars we ship. Loading is lazy and happens once per process: the first
// caller pays for reading the wasm, everyone after shares the same Language objects.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type LanguageId = 'java' | 'typescript' | 'tsx' | 'javascript';

const EXTENSIONS: Record<string, LanguageId> = {
  '.java': 'java',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
};

export function languageForPath(path: string): LanguageId | undefined {
  if (path.endsWith('.d.ts') || path.endsWith('.d.mts') || path.endsWith('.d.cts')) return undefined;
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[path.slice(dot).toLowerCase()];
}

export const SOURCE_EXTENSIONS = Object.keys(EXTENSIONS);

// In a bundle the wasm files sit next to it (dist/tree-sitter.wasm, dist/grammars/); from sources they come
// straight out of node_modules.
function wasmLocations(): { runtime: string; grammars: string } {
  const bundled = { runtime: join(__dirname, 'tree-sitter.wasm'), grammars: join(__dirname, 'grammars') };
  if (existsSync(bundled.runtime)) return bundled;
  const fromSources = createRequire(__filename);
  return {
    runtime: join(dirname(fromSources.resolve('web-tree-sitter')), 'tree-sitter.wasm'),
    grammars: join(dirname(fromSources.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm'),
  };
}

let runtime: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<Language>>();

function initRuntime(): Promise<void> {
  runtime ??= Parser.init({ locateFile: () => wasmLocations().runtime });
  return runtime;
}

export function loadLanguage(id: LanguageId): Promise<Language> {
  let language = languages.get(id);
  if (!language) {
    language = initRuntime().then(() => Language.load(join(wasmLocations().grammars, `tree-sitter-${id}.wasm`)));
    languages.set(id, language);
  }
  return language;
}

const loaded = new Map<LanguageId, Language>();
const parsers = new Map<LanguageId, Parser>();

/** Loads every grammar so later parsing can be synchronous. */
export async function loadAllLanguages(): Promise<void> {
  for (const id of ['java', 'typescript', 'tsx', 'javascript'] as const) loaded.set(id, await loadLanguage(id));
}

/** The loaded Language; throws when `loadAllLanguages` has not finished (a programming error, not bad input). */
export function language(id: LanguageId): Language {
  const lang = loaded.get(id);
  if (!lang) throw new Error(`grammar ${id} is not loaded: await loadAllLanguages() first`);
  return lang;
}

/** One reusable parser per language: parsing is synchronous, so sharing it within a thread is safe. */
export function parserFor(id: LanguageId): Parser {
  let parser = parsers.get(id);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language(id));
    parsers.set(id, parser);
  }
  return parser;
}
