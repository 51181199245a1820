// Code that nothing can call. From the file alone: a JavaScript/TypeScript function or class the module neither
// exports nor names anywhere else (inbox-zero's unexported retry helper that nothing calls, documenso's getFile "kept
// for posterity"), and a Java private method the class never names. With the workspace (facts/name-mentions.ts): an
// exported function, a method of a class, that no other file names either. A leak there never runs, so its findings
// are strict only. A name that occurs anywhere else in the text, even in a string or a comment, keeps the code alive:
// reflection, a handler registered by name, a call in a template. What a framework or the JDK may call without
// naming it is never judged: an annotated method, a method of a class with a supertype (it may override one), an
// accessor, an export a framework calls by its name (a route's GET, a Remix loader), an entry point's exports.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import { projectOf, type WorkspaceFacts } from '../facts/workspace';
import { isEntryPoint } from '../facts/js-modules';
import { INERT_ANNOTATION } from '../facts/java-references';

interface Candidate {
  readonly name: string;
  readonly startIndex: number;
  readonly endIndex: number;
}

/** Java methods the JDK or a framework calls without naming them in the class (serialization hooks). */
const CALLED_UNSEEN = new Set(['readObject', 'writeObject', 'readResolve', 'writeReplace', 'readObjectNoData']);

/** What a framework calls by the name a module exports it under (Next.js, Remix, SvelteKit, Gatsby, serverless). */
const CONVENTIONAL_EXPORT =
  /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL|loader|clientLoader|action|clientAction|meta|links|headers|getServerSideProps|getStaticProps|getStaticPaths|getInitialProps|generate[A-Z]\w*|middleware|handler|handle|default|config|load|actions|prerender|main|run|setup|register|bootstrap|activate|deactivate|init|initialize|install|plugin|createPages|sourceNodes|on[A-Z]\w*)$/;
/** Methods a framework calls on an object by their name: lifecycle hooks (Nest, Angular, React, custom elements). */
const HOOK_METHOD = /^(on[A-Z]\w*|ng[A-Z]\w*|component[A-Z]\w*|render|connectedCallback|disconnectedCallback|attributeChangedCallback|toJSON|toString|valueOf|then)$/;

/** Whether (and why) a finding lies in dead code. */
export interface DeadCode {
  readonly name: string;
  /** True when other files were asked too (facts/name-mentions.ts), not only this one. */
  readonly workspace: boolean;
}

interface Dead extends Candidate, DeadCode {}

const cache = new WeakMap<FileModel, { facts: WorkspaceFacts; dead: readonly Dead[] }>();

/** The dead function, class or method `node` lies in, if any. */
export function deadCodeAt(node: Node, model: FileModel, facts: WorkspaceFacts): DeadCode | undefined {
  let entry = cache.get(model);
  if (entry?.facts !== facts) cache.set(model, (entry = { facts, dead: deadCandidates(model, facts) }));
  for (const d of entry.dead) if (node.startIndex >= d.startIndex && node.endIndex <= d.endIndex) return d;
  return undefined;
}

/**
 * The largest set of candidates that no text outside the set names. None in a file with a syntax error: a keyword
 * half typed (`exxport function`) would make the code it starts dead for the moment of the typo.
 */
function deadCandidates(model: FileModel, facts: WorkspaceFacts): Dead[] {
  if (model.root.hasError) return [];
  const unmentioned = new Set(Object.hasOwn(facts.unmentionedNames, model.file.path) ? facts.unmentionedNames[model.file.path] : []);
  const candidates: Dead[] = model.isJava
    ? [...privateMethods(model), ...unmentionedMethods(model, unmentioned, facts)]
    : [...unexportedDeclarations(model), ...unmentionedExports(model, unmentioned, facts)];
  if (candidates.length === 0) return [];
  // Each mention of a candidate's name, with the candidate it lies in (if any): one pass over the words of the text.
  const names = new Set(candidates.map((c) => c.name));
  const spans = [...candidates].sort((a, b) => a.startIndex - b.startIndex);
  const mentions = new Map<string, (Dead | null)[]>();
  for (const m of model.file.text.matchAll(WORD)) {
    if (!names.has(m[0])) continue;
    const list = mentions.get(m[0]) ?? [];
    list.push(containing(spans, m.index));
    mentions.set(m[0], list);
  }
  const dead = new Set(candidates);
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of dead) {
      if ((mentions.get(c.name) ?? []).every((within) => within !== null && dead.has(within))) continue;
      dead.delete(c);
      changed = true;
    }
  }
  return [...dead];
}

const WORD = /[A-Za-z_$][\w$]*/g;

/**
 * The innermost candidate that holds `at` (spans sorted by start). Only the few spans starting last before it are
 * tried: candidates nest rarely (a method of a class inside a method) and shallowly.
 */
function containing(spans: readonly Dead[], at: number): Dead | null {
  let low = 0;
  let high = spans.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (spans[mid].startIndex <= at) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  for (let k = found; k >= 0 && k > found - 8; k--) if (at < spans[k].endIndex) return spans[k];
  return null;
}

/** Top-level functions and classes a JavaScript/TypeScript module declares without `export`. */
function unexportedDeclarations(model: FileModel): Dead[] {
  const out: Dead[] = [];
  for (const statement of model.root.namedChildren) {
    if (!statement) continue;
    const name = /^(class_declaration|abstract_class_declaration)$/.test(statement.type) ? statement.childForFieldName('name')?.text : functionDeclared(statement, model);
    if (name && /^[\w$]+$/.test(name)) out.push({ name, workspace: false, startIndex: statement.startIndex, endIndex: statement.endIndex });
  }
  return out;
}

/** The name of the function a declaration makes: `function f() {}`, or `const f = () => {}` (one declarator). */
function functionDeclared(declaration: Node, model: FileModel): string | undefined {
  if (/^(function_declaration|generator_function_declaration)$/.test(declaration.type)) return declaration.childForFieldName('name')?.text;
  if (declaration.type !== 'lexical_declaration' && declaration.type !== 'variable_declaration') return undefined;
  const declarators = declaration.namedChildren.filter((n) => n?.type === 'variable_declarator');
  const value = declarators.length === 1 ? declarators[0]!.childForFieldName('value') : null;
  return value && model.dialect.functionTypes.has(value.type) ? declarators[0]!.childForFieldName('name')?.text : undefined;
}

/**
 * Functions a JavaScript/TypeScript module exports and methods of its classes that no other file names (see the
 * header for what is never judged).
 */
function unmentionedExports(model: FileModel, unmentioned: ReadonlySet<string>, facts: WorkspaceFacts): Dead[] {
  if (unmentioned.size === 0) return [];
  const out: Dead[] = [];
  const add = (name: string | undefined, span: Node) => {
    if (name && unmentioned.has(name)) out.push({ name, workspace: true, startIndex: span.startIndex, endIndex: span.endIndex });
  };
  if (!isEntryPoint(model.file.path, projectOf(facts, model.file.path))) {
    for (const statement of model.root.namedChildren) {
      if (statement?.type !== 'export_statement' || statement.children.some((c) => c?.type === 'default')) continue;
      const declaration = statement.childForFieldName('declaration');
      const name = declaration ? functionDeclared(declaration, model) : undefined;
      if (name && !CONVENTIONAL_EXPORT.test(name)) add(name, statement);
    }
  }
  for (const method of model.root.descendantsOfType('method_definition')) {
    const body = method?.parent;
    const type = body?.parent;
    if (!method || body?.type !== 'class_body' || !type || !/^(class_declaration|abstract_class_declaration|class)$/.test(type.type)) continue;
    // A supertype may call it (an override), a decorator may register it.
    if (type.namedChildren.some((c) => c?.type === 'class_heritage') || method.children.some((c) => c?.type === 'decorator')) continue;
    if (method.previousNamedSibling?.type === 'decorator') continue;
    const name = method.childForFieldName('name');
    if (name?.type === 'property_identifier' && !HOOK_METHOD.test(name.text) && !/^(get|set)$/.test(method.children[0]?.text ?? '')) add(name.text, method);
  }
  return out;
}

/** Java private methods with no annotation (an annotation may be how a framework calls it). */
function privateMethods(model: FileModel): Dead[] {
  if (!/\bprivate\b/.test(model.file.text)) return [];
  const out: Dead[] = [];
  for (const method of model.root.descendantsOfType('method_declaration')) {
    if (!method) continue;
    const modifiers = method.namedChildren.find((n) => n?.type === 'modifiers');
    if (!modifiers || !/\bprivate\b/.test(modifiers.text) || modifiers.text.includes('@')) continue;
    const name = method.childForFieldName('name')?.text;
    if (name && !CALLED_UNSEEN.has(name)) out.push({ name, workspace: false, startIndex: method.startIndex, endIndex: method.endIndex });
  }
  return out;
}

/**
 * Java methods no other file names, not private (privateMethods has those): without an annotation, in a class with
 * no supertype and no annotation but inert ones, neither `main` nor an accessor (templates and JSON mappers call
 * those). Public and protected ones only in a workspace that serves (a port, a Spring Boot application): a library's
 * are for others to call or override.
 */
function unmentionedMethods(model: FileModel, unmentioned: ReadonlySet<string>, facts: WorkspaceFacts): Dead[] {
  if (unmentioned.size === 0) return [];
  // An application's public methods are its own to call; a library's are its users'. A server the configuration
  // gives a port, or a module packaged as a war, is an application.
  const project = projectOf(facts, model.file.path);
  const serves = facts.ports.length > 0 || facts.builds.some((b) => b.project === project && b.webApp === true);
  const out: Dead[] = [];
  for (const method of model.root.descendantsOfType('method_declaration')) {
    const name = method?.childForFieldName('name')?.text;
    if (!method || !name || !unmentioned.has(name) || name === 'main') continue;
    const modifiers = method.namedChildren.find((n) => n?.type === 'modifiers')?.text ?? '';
    if (/\bprivate\b/.test(modifiers) || modifiers.includes('@') || (!serves && /\b(public|protected)\b/.test(modifiers))) continue;
    const parameters = method.childForFieldName('parameters')?.namedChildren.length ?? 0;
    if ((/^(get|is|has)[A-Z]/.test(name) && parameters === 0) || (/^set[A-Z]/.test(name) && parameters === 1)) continue;
    const type = method.parent?.parent;
    if (type?.type !== 'class_declaration' || !plainClass(type)) continue;
    out.push({ name, workspace: true, startIndex: method.startIndex, endIndex: method.endIndex });
  }
  return out;
}

/** A class with no supertype and no annotation that may be how something reaches it (INERT_ANNOTATION). */
function plainClass(type: Node): boolean {
  if (type.childForFieldName('superclass') || type.childForFieldName('interfaces') || type.namedChildren.some((c) => c?.type === 'super_interfaces')) return false;
  const modifiers = type.namedChildren.find((n) => n?.type === 'modifiers');
  return !modifiers || (modifiers.text.match(/@[A-Z]\w*/g) ?? []).every((a) => INERT_ANNOTATION.test(a));
}
