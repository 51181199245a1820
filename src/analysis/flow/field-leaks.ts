// The class-level pass over resources held in fields (see fields.ts for what it knows about each field). Four
// shapes, each a leak real projects fixed:
//  1. a cleanup step that can throw (a final flush or write, disconnect(), shutdownOutput()) before `field.close()`
//     in the same block, so the close is skipped on that exception;
//  2. a catch block that sets the field to null or to a new resource without closing the old one, or a field
//     replaced while its old value, kept in a local, is closed only on some paths;
//  3. a worker (Runnable, Thread) given a socket that its run() closes only on some paths, or never, when no other
//     method of it closes the socket;
//  4. a class with a teardown method (close, stop, shutdown...) that never closes a resource it opened into a field.
// A class that keeps a resource field but has no teardown method is taken to live as long as the process: no report.
import type { Node } from 'web-tree-sitter';
import { acquisitionsAt } from '../catalog/acquisitions';
import { possible, type Certainty } from '../catalog/certainty';
import { JAVA, type ResourceKind } from '../catalog/resources';
import type { FileModel } from '../model';
import { contains, lineOf, type Call } from '../syntax/dialect';
import { awaitsItself } from '../syntax/javascript';
import {
  classesWithResourceFields,
  classView,
  mayHoldResourceField,
  releasedAnywhere,
  releasedWithin,
  TEARDOWN_METHOD,
  WORKER_HEADER,
  type ClassView,
  type FieldUse,
  type ResourceField,
} from './fields';
import { findLeak, type Leak } from './ownership';

export interface FieldLeak {
  /** Where the finding is reported. */
  readonly node: Node;
  readonly kind: ResourceKind;
  readonly certainty: Certainty;
  readonly message: string;
}

/** Steps of a cleanup that throw on a broken connection (PrintWriter and in-memory buffers swallow or cannot fail). */
const THROWING_STEP = /^(flush|write|writeBytes|writeInt|writeLong|writeShort|writeByte|writeUTF|writeObject|writeAndFlush|disconnect|shutdownInput|shutdownOutput|logout|quit|sendClose\w*)$/;
const NON_THROWING_RECEIVER = /^(java\.io\.)?(PrintWriter|PrintStream|StringWriter|CharArrayWriter|ByteArrayOutputStream|StringBuilder|StringBuffer)$|ByteBuffer$/;

/**
 * The classes whose findings depend on every one of their methods (a field never closed anywhere, a worker's
 * socket): the incremental analyzer re-judges all their methods, and the methods that construct them, together.
 * JavaScript classes always (what a field holds is learnt from the method that assigns it); Java classes with a
 * resource-typed field of their own and a teardown method or a run loop (the rest is judged within one method).
 */
export function classesJudgedWhole(model: FileModel): Node[] {
  let whole = wholeCache.get(model);
  if (!whole) {
    const classes = classesWithResourceFields(model);
    wholeCache.set(model, (whole = model.isJava ? classes.filter((c) => judgedWhole(c, model)) : classes));
  }
  return whole;
}

const wholeCache = new WeakMap<FileModel, Node[]>();

/** A name that may be a teardown method's (see TEARDOWN_METHOD), before a parenthesis: a class without one has none. */
const TEARDOWN_CALL = /\b(?:close|stop|shutdown|destroy|dispose|disconnect|terminate|clean[uU]p|halt|quit|tear[dD]own)\w*\s*\(/;

function judgedWhole(classNode: Node, model: FileModel): boolean {
  const own = model.structure().members.get(classNode);
  if (!own || !own.fields.some((field) => mayHoldResourceField(field, true))) return false;
  const text = model.file.text;
  const body = classNode.childForFieldName('body');
  if (body && WORKER_HEADER.test(text.slice(classNode.startIndex, body.startIndex))) return true;
  // Reading every method's name is a call into WebAssembly each: a class whose text names no teardown needs none.
  if (!TEARDOWN_CALL.test(classNode.text)) return false;
  return own.methods.some((m) => TEARDOWN_METHOD.test(m.childForFieldName('name')?.text ?? ''));
}

/** Every field leak of the file, reported only outside the units whose findings are reused (model.reportsAt). */
export function fieldLeaks(model: FileModel): FieldLeak[] {
  const out: FieldLeak[] = [];
  const whole = new Set(classesJudgedWhole(model).map((c) => c.id));
  for (const classNode of classesWithResourceFields(model)) {
    model.checkDeadline();
    if (!mayReport(classNode, whole.has(classNode.id), model)) continue;
    // A class not judged whole is judged method by method: only the methods analysed now need reading.
    const view = whole.has(classNode.id) ? classView(classNode, model) : classView(classNode, model, reportableUnits(classNode, model));
    for (const field of view.fields) {
      out.push(...skippedCloses(field, classNode, model), ...droppedInCatch(field, model), ...replacedOverAlias(field, model));
      if (!whole.has(classNode.id)) continue;
      const never = neverClosed(view, field, model);
      if (never) out.push(never);
      out.push(...workerLeaks(view, field, model));
    }
  }
  return out.filter((leak) => model.reportsAt(leak.node));
}

/**
 * False when every place a finding of this class could be reported is in a unit whose findings are reused (an edit
 * elsewhere in the file): the class need not be judged again. Its findings sit in its own methods, in a field's
 * initializer, or, for a worker, where it is constructed.
 */
function mayReport(classNode: Node, whole: boolean, model: FileModel): boolean {
  if (reportableUnits(classNode, model).length > 0) return true;
  if (!whole) return false;
  const start = classNode.startIndex;
  const end = classNode.endIndex;
  const skeleton = model.structure().skeleton.filter((n) => n.text.includes('('));
  if (skeleton.some((n) => n.startIndex >= start && n.startIndex < end)) return true;
  // Constructed in a unit analysed now (few of them on an edit) or in the skeleton, which always is.
  const name = classNode.childForFieldName('name')?.text;
  if (!name) return false;
  const constructs = (n: Node) => n.text.includes(name);
  return model.unitSpans().some((u) => model.reportsAt(u) && constructs(u.node)) || skeleton.some(constructs);
}

/** The units (methods, constructors) of a class whose findings are made now, not reused. */
function reportableUnits(classNode: Node, model: FileModel): Node[] {
  const start = classNode.startIndex;
  const end = classNode.endIndex;
  return model.unitSpans()
    .filter((u) => u.startIndex >= start && u.endIndex <= end && model.reportsAt(u))
    .map((u) => u.node);
}

function label(field: ResourceField): string {
  return `${field.kind.label} field \`${field.name}\``;
}

/** A short text for a call in a message: itself when short, else its name. */
function callText(node: Node, name: string): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length <= 60 ? text : `${name}(...)`;
}

function ancestors(node: Node, stop: Node): Node[] {
  const out: Node[] = [];
  for (let n = node.parent; n && !n.equals(stop); n = n.parent) out.push(n);
  return out;
}

function statementOf(node: Node, model: FileModel): Node | null {
  let s: Node | null = node;
  while (s && !model.dialect.isStatement(s)) s = s.parent;
  return s;
}

// ---- 1. a cleanup step that throws before the close ----

/**
 * A field that only ever holds what a call of another object hands out (`this.socket = utils.socket(response)`, the
 * server's connection WireMock's fault injector breaks on purpose): its owner closes it when a step fails. Read over
 * the whole class, not the view of the methods analysed now, which may leave out the constructor.
 */
function borrowed(name: string, classNode: Node, model: FileModel): boolean {
  const values: (Node | null)[] = [];
  for (const assignment of classNode.descendantsOfType('assignment_expression')) {
    const left = assignment?.childForFieldName('left')?.text.replace(/\s+/g, '');
    if (assignment && (left === name || left === `this.${name}`)) values.push(assignment.childForFieldName('right'));
  }
  for (const declarator of classNode.descendantsOfType('variable_declarator')) {
    const initializer = declarator?.childForFieldName('value');
    if (initializer && declarator?.parent?.type === 'field_declaration' && declarator.childForFieldName('name')?.text === name) values.push(initializer);
  }
  return values.length > 0 && values.every((value) => {
    const call = value ? model.dialect.call(model.dialect.unwrap(value)) : undefined;
    return !!call && call.kind !== 'new' && acquisitionsAt(call, model).length === 0;
  });
}

function skippedCloses(field: ResourceField, classNode: Node, model: FileModel): FieldLeak[] {
  const out: FieldLeak[] = [];
  const releases = field.uses.filter((u): u is Extract<FieldUse, { type: 'release' }> => u.type === 'release');
  for (const release of releases) {
    const fn = model.functionOf(release.node);
    if (!fn) continue;
    const statement = statementOf(release.call.node, model);
    const block = statement?.parent;
    if (!statement || !block || ancestors(statement, fn).some((a) => a.type === 'finally_clause')) continue;
    // Closed again later in the method, or in a catch: the author handles the failing step.
    if (releases.some((r) => r !== release && model.functionOf(r.node)?.equals(fn) && (r.node.startIndex > statement.endIndex || inCatch(r.node, fn)))) continue;
    const step = throwingStepBefore(block, statement, fn, model);
    if (!step || coveredByEnclosingTry(statement, fn, model)) continue;
    if (borrowed(field.name, classNode, model)) break;
    const close = callText(release.call.node, release.call.name);
    out.push({
      node: release.call.node,
      kind: field.kind,
      certainty: field.certainty,
      message: `\`${close}\` at line ${lineOf(release.call.node)} is skipped when \`${callText(step.node, step.name)}\` at line ${lineOf(step.node)} throws, and the ${label(field)} stays open: move it into a finally block.`,
    });
  }
  return out;
}

function inCatch(node: Node, fn: Node): boolean {
  return ancestors(node, fn).some((a) => a.type === 'catch_clause');
}

/** The first call before `statement` in `block` that can throw out of it (not caught where it is made). */
function throwingStepBefore(block: Node, statement: Node, fn: Node, model: FileModel): Call | undefined {
  for (const sibling of block.namedChildren) {
    if (!sibling || sibling.startIndex >= statement.startIndex) break;
    const found = throwingCallIn(sibling, fn, model);
    if (found) return found;
  }
  return undefined;
}

function throwingCallIn(root: Node, fn: Node, model: FileModel): Call | undefined {
  const dialect = model.dialect;
  let found: Call | undefined;
  const visit = (node: Node): void => {
    if (found) return;
    if (dialect.functionTypes.has(node.type)) return;
    const s = dialect.isStatement(node) ? dialect.statement(node) : undefined;
    // A step inside a try that catches: its failure does not reach the close.
    if (s?.kind === 'try' && s.catches.length > 0) return;
    if (dialect.callTypes.has(node.type)) {
      const call = dialect.call(node);
      if (call && THROWING_STEP.test(call.name) && canThrow(call, fn, model)) {
        found = call;
        return;
      }
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(root);
  return found;
}

function canThrow(call: Call, fn: Node, model: FileModel): boolean {
  if (!model.isJava) return call.node.parent?.type === 'await_expression' || awaitsItself(call.node);
  if (!call.receiver) return true;
  const type = model.javaTypes.typeOf(call.receiver, fn);
  return !(type && NON_THROWING_RECEIVER.test(type));
}

/**
 * A try around the close whose finally, or whose catch, closes something (path-insensitive and generous: within the
 * method only, so that the judgement depends on this method's text alone).
 */
function coveredByEnclosingTry(statement: Node, fn: Node, model: FileModel): boolean {
  for (const a of ancestors(statement, fn)) {
    if (!model.dialect.isStatement(a)) continue;
    const s = model.dialect.statement(a);
    if (s.kind !== 'try' || !contains(s.body, statement)) continue;
    if ((s.finalizer && closesAnything(s.finalizer, model)) || s.catches.some((c) => closesAnything(c, model))) return true;
  }
  return false;
}

// ---- 2. dropped or replaced in a catch, replaced over an alias ----

const NULL_VALUE = /^(null|undefined)$/;

function droppedInCatch(field: ResourceField, model: FileModel): FieldLeak[] {
  const out: FieldLeak[] = [];
  for (const use of field.uses) {
    if (use.type !== 'assign' || !use.value) continue;
    const fn = model.functionOf(use.node);
    if (!fn) continue;
    const value = model.dialect.unwrap(use.value);
    const nulled = NULL_VALUE.test(value.type) || NULL_VALUE.test(value.text);
    if (!nulled && !field.opened.some((o) => o.equals(value))) continue;
    const clause = ancestors(use.node, fn).find((a) => a.type === 'catch_clause');
    const tryNode = clause?.parent;
    if (!clause || !tryNode) continue;
    const s = model.dialect.statement(tryNode);
    if (s.kind !== 'try') continue;
    // The field must hold something in use when the try fails, and nothing in the try may close anything.
    const used = field.uses.some((u) => u.type !== 'assign' && contains(s.body, u.node));
    if (!used || closesAnything(tryNode, model) || setUpOnly(s.body, field, model) || knownClosed(use.node, clause, field, model)) continue;
    const line = lineOf(use.node);
    out.push({
      node: use.node,
      kind: field.kind,
      certainty: field.certainty,
      message: nulled
        ? `${label(field)} is set to ${value.text} at line ${line} in a catch block without being ${field.kind.verb} first, so what it held stays open.`
        : `${label(field)} is replaced at line ${line} in a catch block without the old one being ${field.kind.verb}: release it before opening a new one.`,
    });
  }
  return out;
}

/** `if (!serverSocket.isOpen()) serverSocket = open(...)`: the old value is known to be closed (or absent) already. */
function knownClosed(assignment: Node, clause: Node, field: ResourceField, model: FileModel): boolean {
  const name = `(this\\.)?${field.name}`;
  const closed = new RegExp(`!\\s*${name}\\s*\\.\\s*isOpen\\s*\\(|${name}\\s*\\.\\s*(isClosed|destroyed)\\b|${name}\\s*===?\\s*(null|undefined)|!\\s*${name}\\b`);
  return ancestors(assignment, clause).some((a) => {
    if (!model.dialect.isStatement(a)) return false;
    const s = model.dialect.statement(a);
    return s.kind === 'if' && contains(s.consequence, assignment) && closed.test(s.condition.text);
  });
}

/** Any close-like call inside `node`: the method handles the failure somewhere (path-insensitive, generous). */
function closesAnything(node: Node, model: FileModel): boolean {
  return node.descendantsOfType([...model.dialect.callTypes]).some((n) => {
    const call = n && model.dialect.call(n);
    return !!call && /^(close\w*|shutdown\w*|destroy\w*|disconnect|terminate|end|dispose|release\w*)$/i.test(call.name);
  });
}

/**
 * `try { sock = new Socket(); sock.connect(addr); } catch (IOException e) { sock = null; }`: a failed constructor or
 * connect leaves nothing open (a failed Socket.connect closes the socket itself), so dropping the field is right.
 */
function setUpOnly(body: Node, field: ResourceField, model: FileModel): boolean {
  const opened = field.uses.find((u) => u.type === 'assign' && contains(body, u.node) && u.value && field.opened.some((o) => o.equals(model.dialect.unwrap(u.value!))));
  if (!opened) return false;
  const safe = field.kind.safeCalls;
  return field.uses.every((u) => {
    if (!contains(body, u.node) || u.node.startIndex <= opened.node.startIndex) return true;
    if (u.type === 'assign') return true;
    const c = model.dialect.context(u.node);
    return c.kind === 'receiver' && (/^set[A-Z]\w*$/.test(c.call.name) || !!safe?.test(c.call.name));
  });
}

/** `old = ss; ss = ServerSocketChannel.open(); ...bind...; old.close();`: the old value leaks if a step throws first. */
function replacedOverAlias(field: ResourceField, model: FileModel): FieldLeak[] {
  const out: FieldLeak[] = [];
  for (const alias of field.uses) {
    if (alias.type !== 'alias') continue;
    const fn = model.functionOf(alias.node);
    if (!fn) continue;
    const replaced = field.uses.find(
      (u) => u.type === 'assign' && u.node.startIndex > alias.node.endIndex && model.functionOf(u.node)?.equals(fn) && !!u.value && field.opened.some((o) => o.equals(model.dialect.unwrap(u.value!))),
    );
    if (!replaced) continue;
    // `tls.connect({ socket: this._socket })`: the old value handed to the new one (or to anyone) before it is replaced.
    const before = (u: FieldUse) => (u.type === 'escape' || u.type === 'handed') && model.functionOf(u.node)?.equals(fn) && u.node.startIndex < replaced.node.endIndex;
    if (field.uses.some(before)) continue;
    const leak = findLeak({ kind: field.kind, certainty: field.certainty, node: alias.node }, model);
    if (!leak) continue;
    const certainty = leak.handedTo ? possible(`${field.certainty.basis}; handed to ${leak.handedTo}(...) first, which may close it`) : field.certainty;
    // `old.close()` at the end of the try: say where it is, and what skips it.
    const closed = model.references(fn, alias.local).find((ref) => {
      const c = model.dialect.context(ref);
      return c.kind === 'receiver' && field.kind.methods.has(c.call.name);
    });
    const phrase =
      closed && (leak.reason === 'exception' || leak.reason === 'some-paths')
        ? `is ${field.kind.verb} at line ${lineOf(closed)} only if nothing before it throws`
        : leakPhrase(leak, field.kind);
    out.push({
      node: replaced.node,
      kind: field.kind,
      certainty,
      message: `${label(field)} is replaced at line ${lineOf(replaced.node)}, and the old one, kept in \`${alias.local}\`, ${phrase}: release it in a finally block.`,
    });
  }
  return out;
}

function leakPhrase(leak: Leak, kind: ResourceKind): string {
  switch (leak.reason) {
    case 'never':
    case 'discarded':
      return `is never ${kind.verb}`;
    case 'exit':
      return `is not ${kind.verb} when ${leak.exit === 'return' ? 'returning' : 'throwing'} at line ${leak.line}`;
    case 'exception':
      return `is not ${kind.verb} when a step before its close throws (from line ${leak.line} on)`;
    case 'reassigned':
      return `is not ${kind.verb} before \`${leak.name}\` is reassigned at line ${leak.line}`;
    case 'some-paths':
      return `is not ${kind.verb} on every path through line ${leak.line}`;
  }
}

// ---- 3. a worker's run() that leaves its socket open ----

function workerLeaks(view: ClassView, field: ResourceField, model: FileModel): FieldLeak[] {
  if (!view.worker || field.fromParameter.length === 0) return [];
  if (field.uses.some((u) => u.type === 'escape' || u.type === 'handed' || u.type === 'returned')) return [];
  const run = view.methods.find((m) => m.childForFieldName('name')?.text === 'run' && model.dialect.parameterNames(m).length === 0);
  if (!run) return [];
  // Closed by another method (a close() or shutdown() called by whoever stops the worker): that is its owner's job.
  const elsewhere = view.methods.some((m) => !m.equals(run) && releasedWithin(m, field, view.node, model));
  if (elsewhere) return [];
  const releases = releaseNodes(run, field, view, model);
  if (releases.some((r) => coversEveryPath(r, run, model))) return [];
  const className = view.node.childForFieldName('name')?.text;
  if (!className) return [];
  const out: FieldLeak[] = [];
  for (const { node } of model.callsNamed(className)) {
    const call = model.dialect.call(node);
    if (call?.kind !== 'new') continue;
    for (const { index } of field.fromParameter) {
      const arg = call.args[index] && model.dialect.unwrap(call.args[index]);
      const inner = arg && model.dialect.call(arg);
      const acquisition = inner && acquisitionsAt(inner, model).find((a) => !a.callback);
      if (!acquisition) continue;
      // No line of run() here: a message names lines of its own unit only (see incremental.ts).
      const how = releases.length > 0 ? 'closes it only on some paths' : 'never closes it';
      out.push({
        node: acquisition.node,
        kind: acquisition.kind,
        certainty: acquisition.certainty,
        message: `${acquisition.kind.label} is handed to ${className}, whose run() ${how}, and no other method of ${className} closes its field \`${field.name}\`: close it in a finally block in run().`,
      });
    }
  }
  return out;
}

/** The nodes in `scope` that close the field or a name derived from it. */
function releaseNodes(scope: Node, field: ResourceField, view: ClassView, model: FileModel): Node[] {
  const direct = field.uses.filter((u) => u.type === 'release' && contains(scope, u.node)).map((u) => u.node);
  const derived = [...scope.descendantsOfType([...model.dialect.callTypes])].filter((n): n is Node => {
    if (!n) return false;
    const call = model.dialect.call(n);
    if (!call || !/^close\w*$/i.test(call.name)) return false;
    const target = call.receiver ?? call.args[0];
    if (!target) return false;
    const name = model.dialect.unwrap(target).text.replace(/^this\./, '');
    return field.derived.has(name) && releasedWithin(n, field, view.node, model);
  });
  return [...direct, ...derived].sort((a, b) => a.startIndex - b.startIndex);
}

/** A close that runs whatever happens before it: in a finally, or not nested in any branch, loop or catch of run(). */
function coversEveryPath(release: Node, run: Node, model: FileModel): boolean {
  const chain = ancestors(release, run);
  if (chain.some((a) => a.type === 'finally_clause')) return true;
  return !chain.some((a) => {
    if (model.dialect.functionTypes.has(a.type) || a.type === 'catch_clause' || a.type === 'ternary_expression') return true;
    if (!model.dialect.isStatement(a)) return false;
    const kind = model.dialect.statement(a).kind;
    return kind === 'if' || kind === 'loop' || kind === 'switch';
  });
}

// ---- 4. a class that never closes a field it opened ----

/** Container-managed singletons: they live as long as the application (a field of theirs is no leak in practice). */
const SINGLETON_ANNOTATION = /@(Component|Service|Repository|Configuration|Controller|RestController|Singleton|ApplicationScoped|Startup)\b/;
const UDP: ReadonlySet<ResourceKind> = new Set([JAVA.datagramSocket, JAVA.datagramChannel]);

/**
 * `HttpClients.custom().setConnectionManager(manager)...build()` and, in some method, `manager.shutdown()`: the
 * client's sockets are the manager's, and shutting the manager down closes them (ManifoldCF's TikaExtractor drops
 * its client and shuts its pooling manager down).
 */
function managerReleased(view: ClassView, field: ResourceField, model: FileModel): boolean {
  if (field.kind !== JAVA.apacheClient4 && field.kind !== JAVA.apacheClient5) return false;
  const text = model.file.text.slice(view.node.startIndex, view.node.endIndex);
  for (const m of text.matchAll(/\.setConnectionManager\s*\(\s*(?:this\s*\.\s*)?(\w+)\s*\)/g)) {
    if (new RegExp(`(?:^|[^\\w.])(?:this\\s*\\.\\s*)?${m[1]}\\s*\\.\\s*(?:shutdown|close)\\s*\\(`).test(text)) return true;
  }
  return false;
}

function neverClosed(view: ClassView, field: ResourceField, model: FileModel): FieldLeak | undefined {
  if (field.opened.length === 0 || releasedAnywhere(view, field, model) || managerReleased(view, field, model)) return undefined;
  if (field.uses.some((u) => u.type === 'escape')) return undefined;
  const teardown = view.methods.find((m) => TEARDOWN_METHOD.test(m.childForFieldName('name')?.text ?? ''));
  if (!teardown) return undefined;
  const name = teardown.childForFieldName('name')?.text ?? 'close';
  const opened = field.opened[0];
  const handed = field.uses.find((u): u is Extract<FieldUse, { type: 'handed' }> => u.type === 'handed');
  const returned = field.uses.some((u) => u.type === 'returned');
  const singleton = model.isJava && SINGLETON_ANNOTATION.test(model.file.text.slice(view.node.startIndex, view.node.childForFieldName('body')?.startIndex ?? view.node.startIndex));
  const certainty = handed
    ? possible(`${field.certainty.basis}; handed to ${handed.to}(...), which may close it`)
    : returned
      ? possible(`${field.certainty.basis}; handed out by a getter, whose callers may close it`)
      : singleton
        ? possible(`${field.certainty.basis}; a singleton bean, which lives as long as the application`)
        : UDP.has(field.kind)
          ? possible(`${field.certainty.basis}; a UDP socket never sits in CLOSE_WAIT, and a long-lived one is rarely worth a change`)
          : field.certainty;
  // No line of the teardown method: a message names lines of its own unit only (see incremental.ts).
  return {
    node: opened,
    kind: field.kind,
    certainty,
    message: `${label(field)} is never ${field.kind.verb}: no method of the class releases it, not even ${name}(): do it there.`,
  };
}
