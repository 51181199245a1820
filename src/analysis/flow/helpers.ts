// Summaries of a file's own methods and functions that hand a fresh resource to their caller: with them, a call of
// `Response fetchPage(url) { return client.newCall(..).execute(); }` is an acquisition where it is called, tracked
// like `call.execute()` itself. (What a helper does with a resource it is given, closing or keeping it, is
// asked by ownership.ts where the resource is passed.)
import type { Node } from 'web-tree-sitter';
import { acquisitionsAt, fileAcquires, type Acquisition } from '../catalog/acquisitions';
import type { FileModel } from '../model';
import { callsOwnCode, type Call } from '../syntax/dialect';
import { JAVA_RESERVED, JS_RESERVED } from '../syntax/reserved';
import { returnedNames } from './ownership';

/** What a helper hands its caller: the resource it acquires and returns, on every return that returns something. */
interface Summary {
  readonly returned: Pick<Acquisition, 'kind' | 'certainty'>;
  readonly helper: Node;
}

/** How many helpers deep a returned resource is followed (`fetchJson` returning `fetchPage(url)`). */
const MAX_DEPTH = 3;

/**
 * A helper's summary, and whether it is "no factory" only because a helper it calls was past MAX_DEPTH (`cut`): such
 * an answer holds at that depth and deeper, not nearer the top, where the chain may be followed to its end.
 */
interface Cached {
  readonly summary: Summary | null;
  readonly cut: boolean;
  readonly depth: number;
}

const summaries = new WeakMap<FileModel, Map<number, Cached>>();
/** Set while a summary is computed when some helper under it was cut off at MAX_DEPTH. */
let cutOff = false;

/**
 * The resources a call of a same-file helper hands back: `fetchPage(url)` or `this.createSock()` when every
 * function of that name in the file returns a resource it acquired itself (an overload or a cached value on one
 * path makes it no factory).
 */
export function helperAcquisitions(call: Call, model: FileModel, depth = 0): Acquisition[] {
  if (call.kind !== 'call' || !callsOwnCode(call)) return [];
  // A helper hands back only what some call of the file acquires: in a file with none, no helper is worth finding.
  if (model.wholeFile && !fileAcquires(model)) return [];
  const helpers = sameFileFunctions(call, model);
  if (helpers.length === 0 || helpers.some((h) => h.startIndex <= call.node.startIndex && call.node.endIndex <= h.endIndex)) return [];
  const found: Summary[] = [];
  for (const helper of helpers) {
    const summary = summarise(helper, model, depth);
    if (!summary) return [];
    found.push(summary);
  }
  const { returned, helper } = found[0];
  const name = helper.childForFieldName('name')?.text ?? call.name;
  // No line of the helper here: a message names lines of its own unit only, or re-using it after an edit elsewhere
  // in the file would keep a stale line.
  const basis = `${returned.certainty.basis}; returned by ${name}() of this file`;
  return [{ kind: returned.kind, certainty: { ...returned.certainty, basis }, node: call.node, via: { name } }];
}

/**
 * What a function hands its callers when it is a factory: the resource it acquires (or gets from a helper of its
 * file) and returns on every return that returns something; undefined otherwise. The workspace facts summarise the
 * project's factories this way for their callers in other files (facts/resource-factories.ts).
 */
export function returnedResource(fn: Node, model: FileModel): Pick<Acquisition, 'kind' | 'certainty'> | undefined {
  return summarise(fn, model, 0)?.returned;
}

/** The functions of this file a call may run: methods of the same arity (Java), functions of the same name. */
function sameFileFunctions(call: Call, model: FileModel): Node[] {
  // A bare "call" of a reserved word is a statement that error recovery took for one (`return (x)` once a letter
  // typed breaks the line before): no function is named so, and its word occurs all over the file.
  if (!call.receiver && (model.isJava ? JAVA_RESERVED : JS_RESERVED).has(call.name)) return [];
  if (model.isJava) {
    return model.methodsNamed(call.name).filter((m) => model.dialect.parameterNames(m).length === call.args.length);
  }
  return [...model.methodsNamed(call.name), ...model.functionsBoundTo(call.name)];
}

function summarise(helper: Node, model: FileModel, depth: number): Summary | null {
  let cache = summaries.get(model);
  if (!cache) summaries.set(model, (cache = new Map()));
  const cached = cache.get(helper.id);
  if (cached !== undefined && (!cached.cut || depth >= cached.depth)) {
    if (cached.cut) cutOff = true;
    return cached.summary;
  }
  if (depth >= MAX_DEPTH) {
    cutOff = true;
    return null;
  }
  cache.set(helper.id, { summary: null, cut: false, depth }); // recursion: a helper calling itself is no factory
  const outer = cutOff;
  cutOff = false;
  const summary = computeSummary(helper, model, depth);
  const cut = summary === null && cutOff;
  cutOff = outer || cut;
  cache.set(helper.id, { summary, cut, depth });
  return summary;
}

function computeSummary(helper: Node, model: FileModel, depth: number): Summary | null {
  const dialect = model.dialect;
  const body = dialect.functionBody(helper);
  if (!body) return null;
  const returned = returnValues(helper, body, model).map((value) => dialect.unwrap(value));
  if (returned.length === 0) return null;
  // Only a call or a name can carry a fresh resource out (the carriers below): a function that returns anything else
  // on some path is no factory, whatever it calls, and its calls need not be read.
  const types = returned.map((v) => v.type);
  if (!types.every((type) => mayCarry(type, dialect.callTypes))) return null;
  // The values that carry a fresh resource to the caller: its own acquisitions, returned as made or by a name.
  const fresh: { acquisition: Acquisition; names: ReadonlySet<string> }[] = [];
  for (const node of body.descendantsOfType([...dialect.callTypes])) {
    if (!node || !model.functionOf(node)?.equals(helper)) continue;
    const call = dialect.call(node);
    if (!call) continue;
    const acquisitions = [...acquisitionsAt(call, model), ...helperAcquisitions(call, model, depth + 1)];
    for (const acquisition of acquisitions) {
      if (acquisition.callback) continue;
      const names = returnedNames(acquisition, helper, model);
      if (names) fresh.push({ acquisition, names });
    }
  }
  if (fresh.length === 0) return null;
  let first: Acquisition | undefined;
  for (let i = 0; i < returned.length; i++) {
    const v = returned[i];
    if (NO_VALUE.has(types[i])) continue;
    const carrier = fresh.find(({ acquisition, names }) => v.equals(dialect.unwrap(acquisition.node)) || v.equals(acquisition.node) || (types[i] === 'identifier' && names.has(v.text)));
    if (!carrier) return null;
    first ??= carrier.acquisition;
  }
  if (!first) return null;
  return { returned: { kind: first.kind, certainty: first.certainty }, helper };
}

/** What a `return` of nothing spells: no carrier needed. */
const NO_VALUE: ReadonlySet<string> = new Set(['null_literal', 'null', 'undefined']);

/** Whether a returned expression of this type may be a fresh resource: a call, a name, or no value. */
function mayCarry(type: string, callTypes: ReadonlySet<string>): boolean {
  return type === 'identifier' || callTypes.has(type) || NO_VALUE.has(type);
}

/** The expressions a function returns (its own `return`s, or an arrow function's expression body). */
function returnValues(helper: Node, body: Node, model: FileModel): Node[] {
  if (!model.dialect.isStatement(body) && body.type !== 'block' && body.type !== 'statement_block') return [body];
  const values: Node[] = [];
  for (const r of body.descendantsOfType('return_statement')) {
    if (!r || !model.functionOf(r)?.equals(helper)) continue;
    const exit = model.dialect.statement(r);
    if (exit.kind === 'exit' && exit.value) values.push(exit.value);
  }
  return values;
}
