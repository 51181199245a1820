// A module-level variable that a function fills with a fresh connection each time it runs, dropping the one it held:
// uptime-kuma's `browser = await chromium.connect(url); return browser;`, called once per check, left one remote
// browser connection open per check. The per-method analysis stops where a resource is stored outside the function;
// this pass judges the store. It reports only what repeats: a function that hands the new value back (a getter that
// callers call per use, none of them checking the variable first) or a setInterval callback; one that looks at the
// variable before replacing it (a guard, a close) is taken to handle the old value.
import type { Node } from 'web-tree-sitter';
import { acquisitionsAt } from '../catalog/acquisitions';
import { JS, type ResourceKind } from '../catalog/resources';
import type { FileModel } from '../model';
import { lineOf } from '../syntax/dialect';
import type { FieldLeak } from './field-leaks';
import { shadowed } from './fields';

/** What a module-level variable keeps open across calls (responses and requests are short-lived). */
const KEPT: ReadonlyMap<ResourceKind, string> = new Map([
  [JS.socket, 'destroy()'],
  [JS.tlsSocket, 'destroy()'],
  [JS.webSocket, 'close()'],
  [JS.browserConnection, 'close()'],
]);

/** A module-level `let`/`var`: the cheap textual test before the tree is searched. */
const MODULE_VARIABLE = /^[ \t]*(export\s+)?(let|var)\s/m;
/** A call that may connect... */
const CONNECTING_CALL = /\b(?:connect|connectOverCDP|createConnection|Socket|WebSocket|TLSSocket)\s*\(/g;
/** ...on the right of an assignment that ends where the call starts (no `;` can lie between the two). */
const ASSIGNED = /[\w$]\s*=\s*(?:await\s+)?[^;\n=]*$/;

/**
 * The second cheap test: an assignment of something that may connect (`x = await connect(`). The calls are found
 * first and the assignment looked for before each: one regular expression for both would try every `=` of the file.
 */
function connectingAssignment(text: string): boolean {
  for (const call of text.matchAll(CONNECTING_CALL)) {
    if (ASSIGNED.test(text.slice(text.lastIndexOf(';', call.index) + 1, call.index))) return true;
  }
  return false;
}

const ASSIGNMENTS: ReadonlySet<string> = new Set(['assignment_expression']);

export function moduleVariableLeaks(model: FileModel): FieldLeak[] {
  const text = model.file.text;
  if (model.isJava || !MODULE_VARIABLE.test(text) || !connectingAssignment(text)) return [];
  const variables = moduleVariables(model);
  if (variables.size === 0) return [];
  const out: FieldLeak[] = [];
  for (const assignment of model.nodesInScope(ASSIGNMENTS)) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'identifier' || !right || !variables.has(left.text) || !model.reportsAt(assignment)) continue;
    const call = model.dialect.call(model.dialect.unwrap(right));
    const acquisition = call && acquisitionsAt(call, model).find((a) => KEPT.has(a.kind) && !a.callback);
    const fn = model.functionOf(assignment);
    if (!acquisition || !fn || shadowed(fn, left.text, model)) continue;
    const name = left.text;
    if (mentionedBefore(outermost(fn, model), name, assignment.startIndex, model)) continue;
    const repeats = repeatedBy(fn, assignment, name, model);
    if (!repeats) continue;
    const { kind } = acquisition;
    out.push({
      node: assignment,
      kind,
      certainty: acquisition.certainty,
      message: `Module-level \`${name}\` is given a new ${kind.label} at line ${lineOf(assignment)} each time ${repeats} runs, and the one it held is never ${kind.verb}: call ${name}.${KEPT.get(kind)} first, or reuse it while it is open.`,
    });
  }
  return out;
}

/** Names declared by `let` or `var` at the top of the module (a `const` cannot be overwritten). */
function moduleVariables(model: FileModel): Set<string> {
  const names = new Set<string>();
  const types = model.topLevelTypes();
  for (const [i, top] of model.topLevel().entries()) {
    const statement = types[i] === 'export_statement' ? top.childForFieldName('declaration') : top;
    if (!statement) continue;
    const kind = statement.type === 'variable_declaration' ? 'var' : statement.type === 'lexical_declaration' ? statement.child(0)?.text : undefined;
    if (kind !== 'let' && kind !== 'var') continue;
    for (const declarator of statement.namedChildren) {
      const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
      if (name?.type === 'identifier') names.add(name.text);
    }
  }
  return names;
}

/** The top-level function (or method) that holds `fn`: a guard may sit around the callback that assigns. */
function outermost(fn: Node, model: FileModel): Node {
  let top = fn;
  for (let f = model.functionOf(fn); f; f = model.functionOf(f)) top = f;
  return top;
}

/** Whether `scope` refers to `name` before `index`: a check (`if (browser) return browser`) or a close of the old value. */
function mentionedBefore(scope: Node, name: string, index: number, model: FileModel): boolean {
  return model.occurrences(name, { startIndex: scope.startIndex, endIndex: index }).some((n) => n.type === 'identifier');
}

/**
 * What runs the assignment again and again, as the message names it: a setInterval callback, or a function that
 * returns the new value to callers that call it per use without checking the variable first. Undefined otherwise
 * (a connect at start-up, called once, keeps its connection for the life of the process).
 */
function repeatedBy(fn: Node, assignment: Node, name: string, model: FileModel): string | undefined {
  const holder = fn.parent?.type === 'arguments' ? fn.parent.parent : null;
  const timer = holder ? model.dialect.call(holder) : undefined;
  if (timer?.name === 'setInterval') return 'the setInterval callback';
  if (!returnsIt(fn, assignment, name, model)) return undefined;
  const fnName = functionName(fn);
  if (!fnName) return undefined;
  let calledPerUse = false;
  for (const { node } of model.callsNamed(fnName)) {
    if (node.startIndex >= fn.startIndex && node.endIndex <= fn.endIndex) continue;
    const caller = model.functionOf(node);
    // Called at start-up only, from module code or from a function that module code alone calls: once.
    if (!caller || runsOnce(caller, model)) continue;
    // `const browser = await getRemoteBrowser()`: a local of that name says nothing about the module's.
    if (!shadowed(caller, name, model) && mentionedBefore(outermost(caller, model), name, node.startIndex, model)) return undefined;
    calledPerUse = true;
  }
  return calledPerUse || exported(fn, fnName, model.file.text) ? `${fnName}()` : undefined;
}

/** A named function that only module code calls (`async function start() {...}; start();`), and not exported. */
function runsOnce(fn: Node, model: FileModel): boolean {
  const name = functionName(fn);
  if (!name || exported(fn, name, model.file.text)) return false;
  const calls = model.callsNamed(name).filter(({ node }) => node.startIndex < fn.startIndex || node.endIndex > fn.endIndex);
  return calls.length > 0 && calls.every(({ node }) => !model.functionOf(node));
}

/** `return browser;` after the assignment, `return (browser = ...)`, or an arrow whose body is the assignment. */
function returnsIt(fn: Node, assignment: Node, name: string, model: FileModel): boolean {
  const body = fn.childForFieldName('body');
  if (body && model.dialect.unwrap(body).equals(assignment)) return true;
  return fn.descendantsOfType('return_statement').some((r) => {
    if (!r || r.startIndex < assignment.startIndex || !model.functionOf(r)?.equals(fn)) return false;
    const value = r.namedChildren[0] && model.dialect.unwrap(r.namedChildren[0]);
    return !!value && (value.equals(assignment) || (value.type === 'identifier' && value.text === name));
  });
}

/** The name callers use: a declared function's or method's, or that of the variable an arrow is bound to. */
function functionName(fn: Node): string | undefined {
  const own = fn.childForFieldName('name')?.text;
  if (own) return own;
  return fn.parent?.type === 'variable_declarator' ? fn.parent.childForFieldName('name')?.text : undefined;
}

/**
 * Whether `fn`, called `name`, is exported: declared by an export statement (`export function f`, `export const f =
 * () => ...`), which is its own text (the incremental analysis counts `export` as the unit's), or named by one of the
 * module's exports.
 */
function exported(fn: Node, name: string, text: string): boolean {
  const declaration = fn.parent?.type === 'variable_declarator' ? fn.parent.parent : fn;
  if (declaration?.parent?.type === 'export_statement') return true;
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(`\\bexports\\.${n}\\s*=|module\\.exports\\s*=\\s*\\{[^}]*\\b${n}\\b|\\bexport\\s*\\{[^}]*\\b${n}\\b`).test(text);
}
