// How an object is configured after it is created: the calls made on a builder chain (also when the chain is
// split across statements through a variable), and the calls made later on the variable that holds the object
// (directly, through aliases, or inside a same-file helper it is handed to).
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import { MAX_NESTING, type Call, callsOwnCode } from '../syntax/dialect';

/** A method called on the object, or a property assigned on it (`instance.defaults.timeout = 5000`). */
export interface Configuration {
  readonly name: string;
  readonly args: readonly Node[];
  readonly node: Node;
  /** For property assignments: the assigned value. */
  readonly assigned?: Node;
  /** For property assignments: the dotted path below the object (`defaults.timeout`). */
  readonly path?: string;
}

const MAX_HELPER_DEPTH = 2;

function fromCall(call: Call): Configuration {
  return { name: call.name, args: call.args, node: call.node };
}

/** The scope in which a name is looked up: its function, or the whole file for module-level and field names. */
function scopeOf(node: Node, model: FileModel): Node {
  return model.functionOf(node) ?? model.root;
}

/** The initializer of a variable named `name` visible from `at`: a local in its function, else a field or constant. */
export function initializerOf(name: string, at: Node, model: FileModel): Node | undefined {
  return model.declaratorOf(name, at)?.childForFieldName('value') ?? undefined;
}

/** Every value a variable is given in the function around `at`: its initializer, then each `name = value`. */
export function givenValues(name: string, at: Node, model: FileModel): Node[] {
  const initial = initializerOf(name, at, model);
  const fn = model.functionOf(at);
  return [...(initial ? [initial] : []), ...(fn ? assignedValues(name, fn) : [])];
}

/** A variable's values in `fn` other than its initializer: the right side of each `name = value`. */
export function assignedValues(name: string, fn: Node): Node[] {
  return fn
    .descendantsOfType('assignment_expression')
    .filter((a) => a?.childForFieldName('left')?.text === name)
    .map((a) => a?.childForFieldName('right'))
    .filter((v): v is Node => !!v);
}

/**
 * Every call applied to the builder that `call` finishes: the chain down to its root, and when the root is a
 * variable, the variable's own initializer chain and every call made on it in the same function.
 */
export function builderCalls(call: Call, model: FileModel, seen = new Set<number>(), nesting = 0): Configuration[] {
  const { dialect } = model;
  const out: Configuration[] = [];
  let current: Call | null = call;
  let root: Node | null = null;
  while (current) {
    if (seen.has(current.node.id)) break;
    seen.add(current.node.id);
    out.push(fromCall(current));
    root = current.receiver ? dialect.unwrap(current.receiver) : null;
    current = root ? dialect.call(root) : null;
  }
  if (root && dialect.referenceTypes.has(root.type)) {
    const name = root.text;
    const init = initializerOf(name, root, model);
    const initCall = init ? dialect.call(dialect.unwrap(init)) : null;
    // A builder handed through thousands of variables (generated code) is followed MAX_NESTING of them deep.
    if (initCall && nesting < MAX_NESTING) out.push(...builderCalls(initCall, model, seen, nesting + 1));
    for (const ref of model.references(scopeOf(root, model), name)) {
      const c = dialect.context(ref);
      if (c.kind === 'receiver' && !seen.has(c.call.node.id)) {
        // `builder.setA(..).setB(..);` as a statement of its own: collect the whole chain above the variable.
        let outer: Node = c.call.node;
        let chain: Call | null = c.call;
        while (chain) {
          out.push(fromCall(chain));
          seen.add(chain.node.id);
          const up = dialect.context(outer);
          if (up.kind !== 'receiver') break;
          chain = up.call;
          outer = up.call.node;
        }
      }
    }
  }
  return out;
}

/**
 * Calls made on (and properties assigned to) the object `created` after it is bound to a variable, following
 * aliases and same-file helpers that receive it as a parameter.
 */
export function laterConfiguration(created: Node, model: FileModel, depth = 0): Configuration[] {
  const c = model.dialect.context(created);
  if (c.kind !== 'bind') return chainedConfiguration(created, model);
  const scope = c.binding === 'field' ? model.root : scopeOf(created, model);
  const out = [...chainedConfiguration(created, model), ...configurationOfName(c.name, scope, created.endIndex, model, depth)];
  const fn = model.functionOf(created);
  if (fn && c.isAssignment && depth < MAX_HELPER_DEPTH && !model.localNames(fn).has(c.name)) out.push(...configurationInCalledMethods(c.name, created, fn, model, depth));
  return out;
}

/**
 * A field assigned in `fn` and configured by a method of this file that `fn` calls afterwards: commons-net's
 * `_socket_ = factory.createSocket(); ... _connectAction_();` where `_connectAction_()` sets the read timeout.
 */
function configurationInCalledMethods(field: string, created: Node, fn: Node, model: FileModel, depth: number): Configuration[] {
  const out: Configuration[] = [];
  const seen = new Set<number>([fn.id]);
  for (const node of fn.descendantsOfType([...model.dialect.callTypes])) {
    const call = node && node.startIndex > created.endIndex ? model.dialect.call(node) : null;
    if (call?.kind !== 'call' || !callsOwnCode(call)) continue;
    for (const method of model.methodsNamed(call.name)) {
      const body = model.dialect.functionBody(method);
      if (!body || seen.has(method.id)) continue;
      seen.add(method.id);
      out.push(...configurationOfName(field, body, body.startIndex, model, depth + 1));
    }
  }
  return out;
}

/** Calls chained directly on the new object: `http.get(url).setTimeout(5000)`. */
export function chainedConfiguration(created: Node, model: FileModel): Configuration[] {
  const out: Configuration[] = [];
  let node = created;
  for (;;) {
    const c = model.dialect.context(node);
    if (c.kind !== 'receiver') return out;
    out.push(fromCall(c.call));
    node = c.call.node;
  }
}

function configurationOfName(name: string, scope: Node, from: number, model: FileModel, depth: number): Configuration[] {
  const { dialect } = model;
  const out: Configuration[] = [];
  const names = [name];
  for (let i = 0; i < names.length; i++) {
    for (const ref of model.references(scope, names[i])) {
      if (ref.startIndex < from) continue;
      const c = dialect.context(ref);
      if (c.kind === 'receiver') {
        out.push(...[fromCall(c.call), ...chainedConfiguration(c.call.node, model)]);
      } else if (c.kind === 'bind' && c.binding === 'local' && !names.includes(c.name)) {
        names.push(c.name);
      } else if (c.kind === 'member') {
        const assigned = propertyAssignment(c.node);
        if (assigned) out.push({ name: assigned.path.split('.').pop() ?? '', args: [], node: c.node, assigned: assigned.value, path: assigned.path });
      } else if (c.kind === 'argument' && depth < MAX_HELPER_DEPTH && c.index >= 0) {
        out.push(...helperConfiguration(c.call, c.index, model, depth));
      }
    }
  }
  return out;
}

/** `x.defaults.timeout = 5000` seen from the `x.defaults` member node: the path below `x` and the value. */
function propertyAssignment(member: Node): { path: string; value: Node } | undefined {
  const parts: string[] = [];
  let node: Node = member;
  for (;;) {
    const property = node.childForFieldName('property') ?? node.childForFieldName('field');
    if (property) parts.push(property.text);
    const parent = node.parent;
    if (!parent) return undefined;
    if ((parent.type === 'member_expression' || parent.type === 'field_access') && parent.childForFieldName('object')?.equals(node)) {
      node = parent;
      continue;
    }
    if (parent.type === 'assignment_expression' && parent.childForFieldName('left')?.equals(node)) {
      const value = parent.childForFieldName('right');
      return value ? { path: parts.join('.'), value } : undefined;
    }
    return undefined;
  }
}

/** Configuration a same-file helper applies to the parameter that receives the object. */
function helperConfiguration(call: Call, index: number, model: FileModel, depth: number): Configuration[] {
  if (call.kind !== 'call' || !callsOwnCode(call)) return [];
  const out: Configuration[] = [];
  for (const method of model.methodsNamed(call.name)) {
    const params = model.dialect.parameterNames(method);
    if (params.length !== call.args.length) continue;
    const body = model.dialect.functionBody(method);
    if (body) out.push(...configurationOfName(params[index], body, body.startIndex, model, depth + 1));
  }
  return out;
}

/** How a new object leaves the function that made it, for code that may configure it elsewhere. */
export type Escape = 'returned' | 'stored' | 'passed';

/**
 * How the new object leaves this function, if it does: returned, stored in a field or module variable (or a
 * collection literal), or handed to code outside this file, which may well set its timeouts.
 */
export function escapeOf(created: Node, model: FileModel): Escape | undefined {
  const { dialect } = model;
  const leaves = (node: Node): Escape | undefined => {
    const c = dialect.context(node);
    switch (c.kind) {
      case 'return':
        return 'returned';
      case 'store':
      case 'element':
        return 'stored';
      case 'bind':
        return c.binding === 'field' || !model.localNames(model.functionOf(node) ?? model.root).has(c.name) ? 'stored' : undefined;
      case 'argument':
        return c.call.kind === 'new' || model.methodsNamed(c.call.name).length === 0 ? 'passed' : undefined;
      default:
        return undefined;
    }
  };
  const direct = leaves(created);
  if (direct) return direct;
  const c = dialect.context(created);
  if (c.kind !== 'bind') return undefined;
  const scope = model.functionOf(created) ?? model.root;
  for (const ref of model.references(scope, c.name)) {
    // After the creation, or in a callback of the creating call itself (`net.connect(port, () => resolve(s))`).
    const escape = ref.startIndex > created.startIndex ? leaves(ref) : undefined;
    if (escape) return escape;
  }
  return undefined;
}

/** True when the new object leaves this function (see `escapeOf`). */
export function handedElsewhere(created: Node, model: FileModel): boolean {
  return escapeOf(created, model) !== undefined;
}
