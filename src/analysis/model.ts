// Everything rules may want to know about one parsed file, computed on first use and shared by all rules.
import type { Node } from 'web-tree-sitter';
import { ANALYSIS_DEADLINE_MS, AnalysisTimeout, type SourceFile } from './parse/source';
import { inDocumentOrder, javaStructure, jsStructure, type FileStructure, type UnitSpan } from './structure';
import { walkCursor, type Call, type Dialect } from './syntax/dialect';
import { dialectFor } from './syntax';
import { JavaTypes } from './syntax/java-types';
import { JsModules } from './syntax/js-modules';

export class FileModel {
  readonly dialect: Dialect;
  private javaTypesCache?: JavaTypes;
  private jsModulesCache?: JsModules;
  private declaredCache = new Map<number, Set<string>>();
  private identifierCache = new Map<number, Map<string, Node[]>>();
  private declaratorCache = new Map<number, Map<string, Node>>();
  private allCallsCache?: Node[];
  private readonly declarationsCache = new Map<string, Declarations>();
  /** True once every declaration is in declarationsCache (see declarationsNamed). */
  private declarationsIndexed = false;
  private callsByNameCache?: Map<string, { node: Node; call: Call }[]>;
  private structureCache?: FileStructure;
  private unitSpansCache?: readonly UnitSpan[];
  private topLevelTypesCache?: readonly string[];
  private topLevelCache?: readonly Node[];
  private candidatesCache?: { node: Node; call: Call }[];
  /** `functionOf` of every node already climbed through (null: top level). */
  private enclosingCache = new Map<number, Node | null>();
  private readonly deadline: number;
  /** When set, rules look only at calls inside these nodes (the parts of the file an edit can affect)... */
  private roots?: readonly Node[];
  /** ...and not at calls inside these (units whose findings are reused). */
  private excluded: readonly Span[] = [];
  /** `excluded` as sorted, disjoint numeric intervals, made on first use (a Node's endIndex is a call into wasm). */
  private excludedSpans?: { start: number; end: number }[];

  constructor(
    readonly file: SourceFile,
    private readonly budgetMs = ANALYSIS_DEADLINE_MS,
  ) {
    this.dialect = dialectFor(file.language);
    this.deadline = performance.now() + budgetMs;
  }

  /** Throws AnalysisTimeout once this file's budget is spent: hot loops call it so that no file is hung on. */
  checkDeadline(): void {
    if (performance.now() >= this.deadline) throw new AnalysisTimeout(this.file.path, this.budgetMs);
  }

  get root(): Node {
    return this.file.tree.rootNode;
  }

  get isJava(): boolean {
    return this.dialect.family === 'java';
  }

  get javaTypes(): JavaTypes {
    this.javaTypesCache ??= new JavaTypes(this.root, this.structure());
    return this.javaTypesCache;
  }

  get jsModules(): JsModules {
    this.jsModulesCache ??= new JsModules(this.root, this.topLevel(), this.topLevelTypes());
    return this.jsModulesCache;
  }

  /** True until restrictTo: `candidates()` are then every call of the file. */
  get wholeFile(): boolean {
    return this.roots === undefined;
  }

  /** Restricts `candidates()` to calls inside `roots` (their subtrees) but not starting inside `excluded`. */
  restrictTo(roots: readonly Node[], excluded: readonly Span[] = []): void {
    this.roots = roots;
    this.excluded = excluded;
    this.excludedSpans = undefined;
    this.candidatesCache = undefined;
  }

  /**
   * False when `node` starts inside a unit whose findings are reused (see restrictTo): a pass over a whole class
   * reports only in the rest, as a call-by-call rule does.
   */
  reportsAt(node: Span): boolean {
    return !insideSpans(node.startIndex, this.excludedIntervals());
  }

  private excludedIntervals(): { start: number; end: number }[] {
    return (this.excludedSpans ??= mergeSpans(this.excluded));
  }

  /**
   * The file cut into units (top-level functions, methods, constructors, initializers and route callbacks) and the
   * skeleton around them (fields, module code), found by walking declarations only, never into bodies.
   */
  structure(): FileStructure {
    this.structureCache ??= this.isJava ? javaStructure(this.root) : jsStructure(this.topLevel(), this.topLevelTypes(), this.dialect);
    return this.structureCache;
  }

  /**
   * The units with their offsets, read once (each read of a Node's offsets is a call into wasm). A unit that is all
   * its statement declares starts with the statement (FileStructure.statements).
   */
  unitSpans(): readonly UnitSpan[] {
    const { units, statements } = this.structure();
    this.unitSpansCache ??= units.map((node) => ({ node, startIndex: (statements.get(node) ?? node).startIndex, endIndex: node.endIndex }));
    return this.unitSpansCache;
  }

  /** The statements and declarations at the top of the file (read once: several passes start from them). */
  topLevel(): readonly Node[] {
    this.topLevelCache ??= this.root.namedChildren.filter((n): n is Node => !!n);
    return this.topLevelCache;
  }

  /** The types of topLevel(), index for index (each read of a type is a call into wasm). */
  topLevelTypes(): readonly string[] {
    this.topLevelTypesCache ??= this.topLevel().map((n) => n.type);
    return this.topLevelTypesCache;
  }

  /** Every call and construction in the file, in document order (cached). */
  allCalls(): Node[] {
    this.allCallsCache ??= descendantsOf(this.root, this.dialect.callTypes);
    return this.allCallsCache;
  }

  /** Calls and constructions named `name`, in document order (indexed once): where a same-file function is called. */
  callsNamed(name: string): readonly { node: Node; call: Call }[] {
    if (!this.callsByNameCache) {
      const byName = new Map<string, { node: Node; call: Call }[]>();
      for (const node of this.allCalls()) {
        const call = this.dialect.call(node);
        if (!call) continue;
        const list = byName.get(call.name);
        if (list) list.push({ node, call });
        else byName.set(call.name, [{ node, call }]);
      }
      this.callsByNameCache = byName;
    }
    return this.callsByNameCache.get(name) ?? [];
  }

  /** The calls rules should check, each with its Call shape: the whole file, or the parts set by `restrictTo`. */
  candidates(): readonly { node: Node; call: Call }[] {
    if (this.candidatesCache) return this.candidatesCache;
    const nodes = this.roots ? this.nodesWithin(this.dialect.callTypes, this.roots) : this.allCalls();
    const out: { node: Node; call: Call }[] = [];
    for (let i = 0; i < nodes.length; i++) {
      if (i % 256 === 0) this.checkDeadline();
      const call = this.dialect.call(nodes[i]);
      if (call) out.push({ node: nodes[i], call });
    }
    this.candidatesCache = out;
    return out;
  }

  /**
   * Nodes of these types where rules report: the whole file, or the parts set by `restrictTo` (a pass that looks for
   * one kind of node, not for calls, need not walk the units whose findings are reused).
   */
  nodesInScope(types: ReadonlySet<string>): Node[] {
    return this.roots ? this.nodesWithin(types, this.roots) : descendantsOf(this.root, types);
  }

  /**
   * Nodes of `types` in the subtrees of `roots` but not starting inside `excluded`, in document order. Each root is searched
   * once, natively when no excluded span lies within it, else by a cursor walk that steps over the excluded subtrees:
   * the cost follows what the roots hold, not the size of the file. (One `descendantsOfType` per range from the top
   * of the tree, as before, was quadratic in the number of units.)
   */
  private nodesWithin(types: ReadonlySet<string>, roots: readonly Node[]): Node[] {
    const sorted = inDocumentOrder(roots);
    const skipped = this.excludedIntervals();
    const out: Node[] = [];
    let s = 0;
    let visited = 0;
    let walkedUpTo = -1;
    for (const root of sorted) {
      this.checkDeadline();
      // Nodes of a tree nest or are disjoint: a root inside one already searched has nothing new.
      if (root.endIndex <= walkedUpTo) continue;
      walkedUpTo = root.endIndex;
      while (s < skipped.length && skipped[s].end <= root.startIndex) s++;
      if (s === skipped.length || skipped[s].start >= root.endIndex) {
        out.push(...descendantsOf(root, types));
        continue;
      }
      walkCursor(root, (cursor) => {
        if (++visited % 1024 === 0) this.checkDeadline();
        const start = cursor.startIndex;
        // A pre-order walk meets nodes in order of their start: excluded spans that end before this one are done.
        while (s < skipped.length && skipped[s].end <= start) s++;
        if (s < skipped.length && skipped[s].start <= start) return skipped[s].end < cursor.endIndex;
        if (types.has(cursor.nodeType)) out.push(cursor.currentNode);
        return true;
      });
    }
    return out;
  }

  /** The innermost function, method, constructor or lambda around `node`; null at top level. */
  functionOf(node: Node): Node | null {
    this.checkDeadline();
    // Each `parent` step makes tree-sitter walk down from the root, so climbing is quadratic in the depth: remember
    // the answer for every node passed on the way up, and the next climb through them stops there.
    const passed: number[] = [];
    let found: Node | null = null;
    for (let n = node; ; ) {
      const known = this.enclosingCache.get(n.id);
      if (known !== undefined) {
        found = known;
        break;
      }
      passed.push(n.id);
      const parent = n.parent;
      if (!parent || this.dialect.functionTypes.has(parent.type)) {
        found = parent;
        break;
      }
      n = parent;
    }
    for (const id of passed) this.enclosingCache.set(id, found);
    return found;
  }

  /** Names declared in a function (parameters included): anything else a name refers to is a field or global. */
  localNames(fn: Node): Set<string> {
    let names = this.declaredCache.get(fn.id);
    if (!names) {
      names = this.dialect.declaredNames(fn);
      for (const p of this.dialect.parameterNames(fn)) names.add(p);
      this.declaredCache.set(fn.id, names);
    }
    return names;
  }

  /**
   * Identifier-like nodes under `scope` grouped by name, collected in one cursor walk and cached: rules ask for
   * references again and again, and creating a Node object for every tree node is what costs.
   */
  private identifiersIn(scope: Node): Map<string, Node[]> {
    const cached = this.identifierCache.get(scope.id);
    if (cached) return cached;
    const byName = new Map<string, Node[]>();
    const types = this.dialect.referenceTypes;
    walkCursor(scope, (cursor) => {
      if (!types.has(cursor.nodeType)) return;
      const name = cursor.nodeText;
      const list = byName.get(name);
      if (list) list.push(cursor.currentNode);
      else byName.set(name, [cursor.currentNode]);
    });
    this.identifierCache.set(scope.id, byName);
    return byName;
  }

  /** References to variable `name` under `scope` (nested functions included), in source order. */
  references(scope: Node, name: string): Node[] {
    return (this.identifiersIn(scope).get(name) ?? []).filter((node) => this.dialect.isReference(node));
  }

  /**
   * The declarator (`variable_declarator`) of `name` visible from `at`: a local of its function first, then one
   * declared directly in a function around it (a closure's or a lambda's outer variable), else one at top level (a
   * field, a constant, a module variable). Parameters shadow the names of the scopes outside them.
   */
  declaratorOf(name: string, at: Node): Node | undefined {
    const fn = this.functionOf(at);
    if (fn) {
      const local = this.declaratorsIn(fn, false).get(name);
      if (local) return local;
      if (this.dialect.parameterNames(fn).includes(name)) return undefined;
      for (let outer = fn.parent && this.functionOf(fn.parent); outer; outer = outer.parent && this.functionOf(outer.parent)) {
        const declared = this.declaratorsIn(outer, false).get(name);
        if (declared && this.functionOf(declared)?.equals(outer)) return declared;
        if (this.dialect.parameterNames(outer).includes(name)) return undefined;
      }
    }
    return this.declaratorsIn(this.root, true).get(name);
  }

  private declaratorsIn(scope: Node, topLevelOnly: boolean): Map<string, Node> {
    let map = this.declaratorCache.get(scope.id);
    if (map) return map;
    map = new Map();
    for (const d of scope.descendantsOfType('variable_declarator')) {
      const name = d?.childForFieldName('name');
      if (!d || !name || map.has(name.text)) continue;
      if (topLevelOnly && this.functionOf(d)) continue;
      map.set(name.text, d);
    }
    this.declaratorCache.set(scope.id, map);
    return map;
  }

  /** Methods and named functions of this file by name, for following a value into a same-file helper. */
  methodsNamed(name: string): Node[] {
    return this.declarationsNamed(name).methods;
  }

  /**
   * True when this JavaScript file declares a function named `name` (a function declaration, or a variable bound to
   * a function): a bare `name(...)` then calls it, not the global of that name (a module's own `async function
   * fetch()` that reads a cache before asking GitHub).
   */
  declaresFunction(name: string): boolean {
    const { methods, bound } = this.declarationsNamed(name);
    return bound.length > 0 || methods.some((method) => method.type === 'function_declaration');
  }

  /**
   * True when this file gives `name` a meaning of its own where `at` is: a function it declares, or a variable or
   * parameter in scope (`const fetch = bindFetch(safeFetch)`, `({ fetch = globalThis.fetch }) => ...`, `const { fetch }
   * = options`). A global of that name (`fetch`) is not what a call there reaches.
   */
  shadowsGlobal(name: string, at: Node): boolean {
    if (this.declaresFunction(name) || this.declaratorOf(name, at)) return true;
    // Parameters and destructured locals too (`const { fetch } = options`).
    for (let fn = this.functionOf(at); fn; fn = fn.parent ? this.functionOf(fn.parent) : null) {
      if (this.localNames(fn).has(name)) return true;
    }
    return false;
  }

  /** JavaScript functions bound to a name (`const fetchPage = async (url) => {...}`): their function nodes. */
  functionsBoundTo(name: string): Node[] {
    return this.declarationsNamed(name).bound;
  }

  /**
   * The nodes inside `within` that are exactly a whole-word occurrence of `name` in the text (identifiers, property
   * names; a word inside a string or comment is part of a larger node and does not count), in document order. Found
   * where the name occurs in the text rather than by walking the tree: a walk of a big file costs more than the rest
   * of a keystroke's analysis, while most names occur a few times. `worthReading`, when given, passes over an
   * occurrence by its offset before the tree is asked for its node.
   */
  occurrences(name: string, within: Span, worthReading?: (at: number) => boolean): Node[] {
    const out: Node[] = [];
    if (name.length === 0) return out;
    const text = this.file.text;
    for (let at = text.indexOf(name, within.startIndex); at >= 0 && at + name.length <= within.endIndex; at = text.indexOf(name, at + name.length)) {
      if (isIdentifierPart(text.charCodeAt(at - 1)) || isIdentifierPart(text.charCodeAt(at + name.length))) continue;
      if (worthReading && !worthReading(at)) continue;
      const node = this.root.descendantForIndex(at, at + name.length);
      if (node && node.startIndex === at && node.endIndex === at + name.length) out.push(node);
    }
    return out;
  }

  /**
   * The declarations of `name`. The first few names asked for are found where they occur (see occurrences): an
   * analysis restricted to the units an edit touched asks for a handful. Past that, one walk of the whole tree
   * indexes every declaration: a whole file asks for hundreds, and a text search per name would cost more.
   */
  private declarationsNamed(name: string): Declarations {
    let found = this.declarationsCache.get(name);
    if (found) return found;
    if (this.declarationsIndexed) return NO_DECLARATIONS;
    if (this.declarationsCache.size >= NAMES_SEARCHED_IN_TEXT) {
      this.indexDeclarations();
      return this.declarationsCache.get(name) ?? NO_DECLARATIONS;
    }
    found = { methods: [], bound: [] };
    this.declarationsCache.set(name, found);
    const text = this.file.text;
    for (const id of this.occurrences(name, { startIndex: 0, endIndex: text.length }, (at) => !afterDot(text, at))) this.addDeclaration(found, id);
    return found;
  }

  /** Every declaration of the file by name, in one walk (see declarationsNamed). */
  private indexDeclarations(): void {
    this.declarationsCache.clear();
    const types = this.isJava ? [...JAVA_METHODS] : [...JS_FUNCTIONS, 'variable_declarator'];
    for (const node of this.root.descendantsOfType(types)) {
      const id = node?.childForFieldName('name');
      if (!id) continue;
      let found = this.declarationsCache.get(id.text);
      if (!found) this.declarationsCache.set(id.text, (found = { methods: [], bound: [] }));
      this.addDeclaration(found, id);
    }
    this.declarationsIndexed = true;
  }

  /** Adds what `id` declares, if it is the name of a method, a named function or a variable bound to a function. */
  private addDeclaration(found: Declarations, id: Node): void {
    const declaration = id.parent;
    if (!declaration || !declaration.childForFieldName('name')?.equals(id)) return;
    if ((this.isJava ? JAVA_METHODS : JS_FUNCTIONS).has(declaration.type)) {
      found.methods.push(declaration);
    } else if (declaration.type === 'variable_declarator' && !this.isJava) {
      const value = declaration.childForFieldName('value');
      if (value && this.dialect.functionTypes.has(value.type)) found.bound.push(value);
    }
  }
}

/** How many names declarationsNamed looks up in the text before it indexes the whole tree instead. */
const NAMES_SEARCHED_IN_TEXT = 16;

const NO_DECLARATIONS: Declarations = { methods: [], bound: [] };

/** The declarations of one name: methods and named functions, and (JavaScript) functions bound to it. */
interface Declarations {
  readonly methods: Node[];
  readonly bound: Node[];
}

const JAVA_METHODS: ReadonlySet<string> = new Set(['method_declaration']);
const JS_FUNCTIONS: ReadonlySet<string> = new Set(['function_declaration', 'method_definition']);

/**
 * True when the word at `at` follows a `.` (blanks between allowed): a member access or a spread, never the name of a
 * declaration, and most occurrences of a method's name are its calls (`this.send(`).
 */
function afterDot(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  return i >= 0 && text.charCodeAt(i) === 46;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** A character that may continue an identifier (Java and JavaScript: letters, digits, `_`, `$`; any non-ASCII). */
function isIdentifierPart(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127;
}

/** A stretch of the file: a node, or a Range. */
export interface Span {
  readonly startIndex: number;
  readonly endIndex: number;
}

/** `spans` as offsets, sorted and with overlapping ones merged: what insideSpans searches. */
export function mergeSpans(spans: readonly Span[]): { start: number; end: number }[] {
  const sorted = spans.map((r) => ({ start: r.startIndex, end: r.endIndex })).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else if (r.end > r.start) out.push(r);
  }
  return out;
}

/** Whether offset `at` lies inside one of `spans` (sorted and disjoint, as mergeSpans makes them). */
export function insideSpans(at: number, spans: readonly { readonly start: number; readonly end: number }[]): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (at < spans[mid].start) high = mid - 1;
    else if (at >= spans[mid].end) low = mid + 1;
    else return true;
  }
  return false;
}

/** The nodes of `types` under `root` (itself included), in document order: one native search. */
function descendantsOf(root: Node, types: ReadonlySet<string>): Node[] {
  return root.descendantsOfType([...types]).filter((n): n is Node => !!n);
}
