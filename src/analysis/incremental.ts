// Re-analysis of an edited file that re-runs only what the edit can affect. The file is cut into units (top-level
// functions and methods); a unit's findings are reused when nothing they depend on changed: its own text, the
// text around the units (imports, fields, signatures, module code; not the stray text of a half-typed edit, see
// unit-context.ts), and the text of the units linked to it by calls (helpers it calls, callers that pass it values
// or make it request-handling code). Everything else is re-run.
import type { Node } from 'web-tree-sitter';
import { runRules, withPolicy, type AnalyzeOptions, type FileAnalysis, type RuleFailure } from './engine';
import type { Finding } from './finding';
import { classesJudgedWhole } from './flow/field-leaks';
import { FileModel } from './model';
import { syntaxErrorSpans, type SourceFile } from './parse/source';
import { contextTexts } from './unit-context';

interface Unit {
  readonly node: Node;
  /** The node's offsets, read once: each read of a node's position is a call into WebAssembly. */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly hash: string;
  readonly name: string;
  readonly calls: ReadonlySet<string>;
}

/** A finding stored relative to the start of its unit, so it can be re-anchored when the unit moves. */
interface StoredFinding {
  readonly finding: Finding;
  /** The message with line numbers inside the unit made relative (`line \u0001 3 \u0001`). */
  readonly message: string;
  readonly rowDelta: number;
  /** Column relative to the unit's start column when on the unit's first row, else absolute (0-based). */
  readonly column: number;
  readonly endRowDelta: number;
  readonly endColumn: number;
}

interface Stored {
  readonly findings: readonly StoredFinding[];
  readonly failures: readonly RuleFailure[];
}

export interface IncrementalStats {
  readonly units: number;
  readonly reanalysed: number;
}

/** FNV-1a over UTF-16 code units: fast enough to hash every unit on every keystroke. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(36)}:${text.length}`;
}

const NAMED = /[A-Za-z_$][\w$]*/g;

/**
 * Names this text calls or otherwise names (a superset of the real call edges: `a.b(` counts as a call of `b`, and
 * `app.get('/', handler)` names `handler`): a unit named nowhere else is dead code (flow/dead-code.ts), so a mention
 * anywhere links as a call does.
 */
function calledNames(text: string): ReadonlySet<string> {
  return new Set(text.match(NAMED));
}

/**
 * A deep copy that shares no string with the document. A substring or match of a long string may be a *slice*
 * that keeps the whole string alive, so anything cached across edits that was cut from a document's text would keep
 * that version of the document in memory for as long as the entry lives: one document copy per edit.
 */
function detached<T>(value: T): T {
  return structuredClone(value);
}

/** What a unit's text alone decides, kept by its hash: its declared name and the names it calls. */
interface UnitSummary {
  /** The name the unit declares in its own text (a method's, a function's); '' when it has none there. */
  readonly ownName: string;
  readonly calls: ReadonlySet<string>;
}

function unitsOf(model: FileModel, summaryOf: (hash: string, node: Node, body: string, start: number) => UnitSummary): Unit[] {
  const text = model.file.text;
  const { boundNames } = model.structure();
  return model.unitSpans().map(({ node, startIndex, endIndex }) => {
    const body = text.slice(startIndex, endIndex);
    const h = hash(body);
    const summary = summaryOf(h, node, body, startIndex);
    // The name a unit is called by: its own, or that of the variable it is bound to (`const f = () => ...`).
    return { node, startIndex, endIndex, hash: h, name: summary.ownName || (boundNames.get(node) ?? ''), calls: summary.calls };
  });
}

/** What a unit's text alone decides, read off the tree (see UnitSummary). `body` is the text from offset `start` on. */
function summarise(node: Node, body: string, start: number): UnitSummary {
  return { ownName: node.childForFieldName('name')?.text ?? '', calls: calledNames(withoutOwnName(body, node, start)) };
}

/**
 * A unit's text with its declared name blanked: `void f() {` is no call of f. (Else every method of a name would
 * be linked to every other of that name: thousands of overloads in generated code made a dense call graph.)
 */
function withoutOwnName(body: string, node: Node, start: number): string {
  const name = node.childForFieldName('name');
  if (!name) return body;
  const at = name.startIndex - start;
  return body.slice(0, at) + ' '.repeat(name.endIndex - name.startIndex) + body.slice(at + name.endIndex - name.startIndex);
}

/**
 * Past this many linked units a unit's key stands for every unit of the file (it is re-analysed whenever any unit
 * changes): listing every linked unit in every key costs units² when the call graph is dense.
 */
const MAX_LINKED = 200;

/** The units reachable from `start` along `edges`, in document order; undefined when there are more than MAX_LINKED. */
function reach(start: number, edges: readonly (readonly number[])[]): number[] | undefined {
  const seen = new Set<number>([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const next of edges[queue[head]]) {
      if (seen.has(next)) continue;
      if (seen.size > MAX_LINKED) return undefined;
      seen.add(next);
      queue.push(next);
    }
  }
  seen.delete(start);
  return [...seen].sort((a, b) => a - b);
}

/**
 * Which units each unit reaches by call links (by name), both ways: callees (helpers) and callers (values passed in,
 * request handling). Kept between edits: the reach is rebuilt only when a call edge between units changes, the edges
 * only when some unit's name or calls do. Most keystrokes change neither; a letter typed into a call of a library
 * method changes the calls but no edge.
 */
interface CallLinks {
  readonly names: readonly string[];
  readonly calls: readonly ReadonlySet<string>[];
  /** The units of each name. */
  readonly byName: ReadonlyMap<string, readonly number[]>;
  /** For each unit, the units it calls directly. */
  readonly edges: readonly (readonly number[])[];
  readonly callees: readonly (readonly number[] | undefined)[];
  readonly callers: readonly (readonly number[] | undefined)[];
}

function callLinks(units: readonly Unit[], previous: CallLinks | undefined): CallLinks {
  const sameNames = previous !== undefined && previous.names.length === units.length && units.every((u, i) => u.name === previous.names[i]);
  if (sameNames && units.every((u, i) => sameSet(u.calls, previous.calls[i]))) return previous;
  // Names may be cut from the document: a copy, so that the links kept do not keep this version of it.
  const names = sameNames ? previous.names : detached(units.map((u) => u.name));
  const byName = sameNames ? previous.byName : unitsByName(names);
  // With the same names, a unit whose calls did not change keeps its edges.
  const edges = units.map((u, i) => (sameNames && sameSet(u.calls, previous.calls[i]) ? previous.edges[i] : edgesOf(u, byName)));
  const kept = { names, calls: units.map((u) => u.calls), byName, edges };
  if (previous && sameEdges(previous.edges, edges)) return { ...kept, callees: previous.callees, callers: previous.callers };
  const callers: number[][] = units.map(() => []);
  edges.forEach((targets, from) => targets.forEach((to) => callers[to].push(from)));
  return { ...kept, callees: units.map((_, i) => reach(i, edges)), callers: units.map((_, i) => reach(i, callers)) };
}

function unitsByName(names: readonly string[]): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  names.forEach((name, i) => {
    if (!name) return;
    const same = byName.get(name);
    if (same) same.push(i);
    else byName.set(name, [i]);
  });
  return byName;
}

function edgesOf(unit: Unit, byName: ReadonlyMap<string, readonly number[]>): number[] {
  const out: number[] = [];
  for (const name of unit.calls) {
    const targets = byName.get(name);
    if (targets) out.push(...targets);
  }
  return out;
}

function sameEdges(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i].length !== b[i].length || a[i].some((t, k) => t !== b[i][k])) return false;
  }
  return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const name of a) if (!b.has(name)) return false;
  return true;
}

/** The unit containing `index` (units are disjoint and in document order), or -1. */
function unitAt(units: readonly Unit[], index: number): number {
  let low = 0;
  let high = units.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const unit = units[mid];
    if (index < unit.startIndex) high = mid - 1;
    else if (index >= unit.endIndex) low = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * For each unit, the texts it depends on through a class judged as a whole (flow/field-leaks.ts: a field never
 * closed by any method, a worker's socket): the hashes of every unit of each such class it belongs to or constructs.
 */
function classLinks(model: FileModel, units: readonly Unit[]): string[] {
  const keys = units.map(() => '');
  for (const cls of classesJudgedWhole(model)) {
    const name = cls.childForFieldName('name')?.text;
    const start = cls.startIndex;
    const end = cls.endIndex;
    const inside = units.filter((u) => u.startIndex >= start && u.endIndex <= end);
    const key = hash(inside.map((u) => u.hash).join(','));
    units.forEach((u, i) => {
      const member = u.startIndex >= start && u.endIndex <= end;
      if (member || (name && u.calls.has(name))) keys[i] += `${key};`;
    });
  }
  return keys;
}

interface LastKeys {
  readonly hashes: readonly string[];
  readonly contexts: readonly string[];
  readonly classes: readonly string[];
  readonly callees: CallLinks['callees'];
  readonly callers: CallLinks['callers'];
  readonly keys: readonly string[];
}

export class IncrementalAnalyzer {
  /** Entries of the last run, plus those of the run before: undoing an edit (or finishing a word) hits them. */
  private cache = new Map<string, Stored>();
  private previous = new Map<string, Stored>();
  /** Unit summaries by unit hash, for the units of the last run and the run before (the same two generations). */
  private summaries = new Map<string, UnitSummary>();
  private previousSummaries = new Map<string, UnitSummary>();
  private lastStats: IncrementalStats = { units: 0, reanalysed: 0 };
  private links: CallLinks | undefined;
  /** The last analysis's keys and what they were made of (see analyze). */
  private lastKeys: LastKeys | undefined;

  get stats(): IncrementalStats {
    return this.lastStats;
  }

  /** Forget everything: the next analysis re-runs every unit (settings or workspace facts changed). */
  reset(): void {
    this.cache.clear();
    this.previous.clear();
    this.summaries.clear();
    this.previousSummaries.clear();
    this.links = undefined;
    this.lastKeys = undefined;
  }

  private lookup(key: string): Stored | undefined {
    return this.cache.get(key) ?? this.previous.get(key);
  }

  analyze(file: SourceFile, options: AnalyzeOptions, optionsKey: string): FileAnalysis {
    const model = new FileModel(file, options.deadlineMs);
    const summaries = new Map<string, UnitSummary>();
    // Most units are unchanged since the last keystroke: their summary is looked up, not read off the tree again.
    const units = unitsOf(model, (h, node, body, start) => {
      const summary = summaries.get(h) ?? this.summaries.get(h) ?? this.previousSummaries.get(h) ?? detached(summarise(node, body, start));
      summaries.set(h, summary);
      return summary;
    });

    // What surrounds the units (and file-wide directives) is every unit's context.
    const errors = syntaxErrorSpans(file.tree);
    const outside = contextTexts(model, units, errors);
    const directives = [...file.text.matchAll(/closewait-ignore(?!-next-line)[^\n]*/g)].map((m) => m[0]).join('\n');
    // Hashed again, so that every unit's key starts with a dozen characters and not with the settings' key.
    const contextOf = (text: string) => hash(`${optionsKey}\0${file.path}\0${hash(text)}\0${hash(directives)}`);
    const context = contextOf(outside.clean);
    const strictContext = outside.strict === outside.clean ? context : contextOf(outside.strict);
    const holdsError = (u: Unit) => errors.some((e) => e.startIndex >= u.startIndex && e.startIndex < u.endIndex);

    const links = (this.links = callLinks(units, this.links));
    let everyUnit: string | undefined;
    const all = () => (everyUnit ??= `all ${hash(units.map((u) => u.hash).join(','))}`);
    // The hashes of the units a unit is linked to: a stable key of what its findings may depend on.
    const linkedKey = (linked: readonly number[] | undefined) => {
      if (linked === undefined) return all();
      let key = '';
      for (const k of linked) key += `${units[k].hash},`;
      return key;
    };
    const classes = classLinks(model, units);
    const contexts = units.map((u) => (strictContext !== context && holdsError(u) ? strictContext : context));
    const hashes = units.map((u) => u.hash);
    // A key is made of its unit's context, hash, class links and the hashes of its linked units: when none of these
    // changed since the last keystroke (most units), the last key is the key.
    const last = this.lastKeys;
    const comparable = last !== undefined && last.hashes.length === units.length && last.callees === links.callees && last.callers === links.callers;
    let allSame: boolean | undefined;
    const sameHashes = (linked: readonly number[] | undefined) => {
      if (linked === undefined) return (allSame ??= hashes.every((h, k) => h === last!.hashes[k]));
      for (const k of linked) if (hashes[k] !== last!.hashes[k]) return false;
      return true;
    };
    const { callees, callers } = links;
    const keys = units.map((u, i) => {
      if (i % 256 === 255) model.checkDeadline();
      if (comparable && last.hashes[i] === u.hash && last.contexts[i] === contexts[i] && last.classes[i] === classes[i] && sameHashes(callees[i]) && sameHashes(callers[i])) {
        return last.keys[i];
      }
      return `${contexts[i]}\0${u.hash}\0${linkedKey(callees[i])}\0${linkedKey(callers[i])}\0${classes[i]}`;
    });
    this.lastKeys = { hashes, contexts, classes, callees, callers, keys };
    const dirty = units.map((_, i) => !this.lookup(keys[i]));

    // Re-run the rules on the dirty units and on the skeleton (minus the clean units a skeleton node may hold).
    const roots = [...units.filter((_, i) => dirty[i]).map((u) => u.node), ...model.structure().skeleton.filter((n) => n.text.includes('('))];
    // Units carry their offsets as numbers: the model merges them without asking the tree again.
    model.restrictTo(roots, units.filter((_, i) => !dirty[i]));
    const { located, failures } = runRules(model, options);

    const next = new Map<string, Stored>();
    const findings: Finding[] = [];
    const allFailures: RuleFailure[] = [...failures];
    const fresh = units.map(() => [] as StoredFinding[]);
    for (const { finding, startIndex } of located) {
      findings.push(finding);
      const owner = unitAt(units, startIndex);
      if (owner >= 0 && dirty[owner]) fresh[owner].push(this.store(finding, units[owner].node));
    }
    units.forEach((u, i) => {
      if (dirty[i]) {
        // A unit's rule failures are not attributed separately: a failing run is simply not cached.
        if (failures.length === 0) next.set(keys[i], { findings: fresh[i], failures: [] });
        return;
      }
      const stored = this.lookup(keys[i])!;
      next.set(keys[i], stored);
      for (const s of stored.findings) findings.push(this.anchor(s, u.node));
      allFailures.push(...stored.failures);
    });
    // Keep the generation before only when this run changed something, so two edits in a row can be undone cheaply.
    if (dirty.some(Boolean)) {
      this.previous = this.cache;
      this.previousSummaries = this.summaries;
    }
    this.cache = next;
    this.summaries = summaries;
    this.lastStats = { units: units.length, reanalysed: dirty.filter(Boolean).length };
    return { ...withPolicy(file, findings, options), syntaxErrors: errors.length, failures: allFailures };
  }

  private store(finding: Finding, unit: Node): StoredFinding {
    const row = unit.startPosition.row;
    const column = unit.startPosition.column;
    const rowDelta = finding.line - 1 - row;
    const endRowDelta = finding.endLine - 1 - row;
    // Messages name lines of the same unit ("when returning at line 12"): they move with it.
    const message = finding.message.replace(/\bline (\d+)\b/g, (whole, n: string) => {
      const line = Number(n) - 1;
      return line >= row && line <= unit.endPosition.row ? `line \u0001${line - row}\u0001` : whole;
    });
    return detached({
      finding,
      message,
      rowDelta,
      column: rowDelta === 0 ? finding.column - 1 - column : finding.column - 1,
      endRowDelta,
      endColumn: endRowDelta === 0 ? finding.endColumn - 1 - column : finding.endColumn - 1,
    });
  }

  private anchor(stored: StoredFinding, unit: Node): Finding {
    const row = unit.startPosition.row;
    const column = unit.startPosition.column;
    return {
      ...stored.finding,
      message: stored.message.replace(/\u0001(\d+)\u0001/g, (_, delta: string) => String(row + Number(delta) + 1)),
      line: row + stored.rowDelta + 1,
      column: (stored.rowDelta === 0 ? column + stored.column : stored.column) + 1,
      endLine: row + stored.endRowDelta + 1,
      endColumn: (stored.endRowDelta === 0 ? column + stored.endColumn : stored.endColumn) + 1,
    };
  }
}
