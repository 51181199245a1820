// Gathering workspace facts: configuration files as they are, and the few sources that can declare a server.
import { FileModel } from '../model';
import { languageForPath, type LanguageId } from '../parse/grammars';
import { AnalysisTimeout, parseSource, ParseTimeout, skipReason, type SourceFile } from '../parse/source';
import { factsOfConfigFile, isConfigFile } from './config-files';
import { testCodeReason } from '../scope/test-code';
import { mayWrapClient } from './client-wrappers';
import { mayDeclareFactory } from './resource-factories';
import { DECLARES_HANDLER } from './handler-callees';
import { javaReferencesOf, withoutComments } from './java-references';
import { jsModuleOf } from './js-modules';
import { nameMentionsOf } from './name-mentions';
import { DECLARES_SERVER, factsOfSource, loopbackConstantsOf, timeoutDefaultsOf } from './source-facts';
import { combineFacts, type FileFacts, type WorkspaceFacts } from './workspace';

export { isConfigFile, factsOfConfigFile } from './config-files';
export { factsOfSource } from './source-facts';
export { combineFacts, projectOf, propertyValue, NO_FACTS, type FileFacts, type WorkspaceFacts, type ListeningPort, type OwnBaseUrl } from './workspace';

/**
 * A RestTemplate taken in: a field, a parameter or a local given one (`RestTemplate rest;`, `(RestTemplate rest)`,
 * `ObjectProvider<RestTemplate>`), not a local made here (`= new RestTemplate(...)`, `= builder...build()`) nor a
 * method returning one (a @Bean factory). `RestTemplate.class` is no sign: `@ConditionalOnMissingBean(RestTemplate.class)`.
 */
const INJECTS_REST_TEMPLATE = /\b(?:RestTemplate|RestOperations)\b(?:\s*>|\s+[a-z_$][\w$]*\s*(?:[;,)]|=(?!\s*new\b)(?![^;]*\.build\s*\()))/;

export interface TextFile {
  /** Workspace-relative path with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/**
 * The facts one file contributes: a configuration file, or a source that may declare a server or set defaults. A
 * source parsed on the way is offered to `keep` (when given): true takes its tree over (the caller deletes it),
 * else it is deleted here.
 */
export function factsOfFile(file: TextFile, keep?: (source: SourceFile) => boolean): FileFacts | undefined {
  if (isConfigFile(file.path)) return factsOfConfigFile(file.path, file.text);
  const language = languageForPath(file.path);
  if (!language) return undefined;
  // Every Java file tells which classes it may refer to (generated ones too: they call the project's classes), every
  // JavaScript/TypeScript module what it imports. What a generated or minified file names keeps nothing alive: a
  // bundle of the project's own code names every function it bundled.
  const skipped = !!skipReason(file.path, file.text);
  // A test that sets a default timeout (or wraps a client) says nothing about the server's own calls.
  const test = !skipped && !!testCodeReason(file.path, undefined, file.text);
  const java = language === 'java';
  const code = java ? withoutComments(file.text) : file.text;
  const facts = skipped ? noFactsOf(file.path) : { ...(sourceFacts(file, language, test, keep) ?? noFactsOf(file.path)), nameMentions: nameMentionsOf(file.path, code, java, test) };
  if (java) return { ...facts, javaReferences: javaReferencesOf(file.path, code, true), ...(!skipped && !test && INJECTS_REST_TEMPLATE.test(code) ? { injectsRestTemplate: true as const } : {}) };
  return { ...facts, jsModule: jsModuleOf(file.path, file.text) };
}

function sourceFacts(file: TextFile, language: LanguageId, test: boolean, keep?: (source: SourceFile) => boolean): FileFacts | undefined {
  const timeoutDefaults = test ? [] : timeoutDefaultsOf(file.path, file.text);
  const family = language === 'java' ? 'java' : 'js';
  // The project's HTTP wrappers and resource factories, which callers in other files are judged through.
  const helpers = !test && (mayWrapClient(family, file.text) || mayDeclareFactory(family, file.text));
  const parse = helpers || DECLARES_SERVER.test(file.text) || (language === 'java' && DECLARES_HANDLER.test(file.text));
  const server = parse ? serverFacts(file, language, helpers, keep) : undefined;
  const loopbackConstants = test || family === 'java' ? [] : loopbackConstantsOf(file.path, file.text);
  if (timeoutDefaults.length === 0 && loopbackConstants.length === 0) return server;
  return { ...(server ?? noFactsOf(file.path)), ...(timeoutDefaults.length > 0 ? { timeoutDefaults } : {}), ...(loopbackConstants.length > 0 ? { loopbackConstants } : {}) };
}

function noFactsOf(file: string): FileFacts {
  return { file, ports: [], baseUrls: [], properties: [], projectMarker: false };
}

function serverFacts(file: TextFile, language: LanguageId, helpers: boolean, keep?: (source: SourceFile) => boolean): FileFacts | undefined {
  let source: SourceFile;
  try {
    source = parseSource(file.path, file.text, language);
  } catch (error) {
    if (error instanceof ParseTimeout) return undefined;
    throw error;
  }
  try {
    return factsOfSource(new FileModel(source), helpers);
  } catch (error) {
    // A source too pathological to read in time declares no server we could trust.
    if (error instanceof AnalysisTimeout) return undefined;
    throw error;
  } finally {
    if (!keep?.(source)) source.tree.delete();
  }
}

export function gatherFacts(files: Iterable<TextFile>, extraHosts: readonly string[] = []): WorkspaceFacts {
  const facts: FileFacts[] = [];
  for (const file of files) {
    const f = factsOfFile(file);
    if (f) facts.push(f);
  }
  return combineFacts(facts, extraHosts);
}
