// Which module a JavaScript/TypeScript name comes from: `require`, `import` and their destructured forms.
// `net.connect` means node's net only when `net` is that module; a bare `request(...)` is undici's only when imported.
import type { Node } from 'web-tree-sitter';
import type { Call } from './dialect';
import { javascript } from './javascript';

export interface ModuleBinding {
  /** Module specifier without the `node:` prefix: `net`, `http`, `undici`, `axios`. */
  readonly module: string;
  /** The exported member this name stands for; null for the namespace or default export. */
  readonly member: string | null;
}

/** Modules whose conventional local name is also a reasonable guess when no import is visible (snippets, globals). */
const CONVENTIONAL = new Set(['net', 'tls', 'http', 'https', 'http2', 'undici', 'axios', 'got', 'superagent', 'events']);

function moduleName(specifier: string): string {
  return specifier.replace(/^node:/, '');
}

/** Modules that stand in for each other: code picks one by the URL's scheme and calls the same API on it. */
const SAME_API: Record<string, string> = { http: 'http', https: 'http' };

/** `require('https')`, or a choice between two modules of one API (`secure ? require('https') : require('http')`). */
function requiredModule(node: Node | null): string | undefined {
  if (!node) return undefined;
  let value = javascript.unwrap(node);
  if (value.type === 'ternary_expression') {
    const a = requiredModule(value.childForFieldName('consequence'));
    const b = requiredModule(value.childForFieldName('alternative'));
    if (a === undefined || b === undefined) return undefined;
    return a === b ? a : SAME_API[a] !== undefined && SAME_API[a] === SAME_API[b] ? SAME_API[a] : undefined;
  }
  // require('axios').default
  if (value.type === 'member_expression' && value.childForFieldName('property')?.text === 'default') {
    value = value.childForFieldName('object') ?? value;
  }
  const c = javascript.call(value);
  if (c?.kind !== 'call' || c.name !== 'require' || c.receiver || c.args.length !== 1) return undefined;
  const spec = javascript.stringLiteral(c.args[0]);
  return spec === undefined ? undefined : moduleName(spec);
}

/** The module function a call reaches; `guessed` when no import says so and the module's usual name does. */
export interface ResolvedCall {
  readonly module: string;
  readonly member: string;
  readonly guessed?: true;
}

export class JsModules {
  private readonly bindings = new Map<string, ModuleBinding>();
  /** Names the file's top level declares from something other than a module (`const http = new Http()`). */
  private readonly declared = new Set<string>();
  /** Every rule asks about the same calls: the last answer per call node (with the name it was for). */
  private readonly resolved = new Map<number, { name: string; target: ResolvedCall | undefined }>();
  /** Functions and methods of this file that return a required module (`getModule(url)`), read when first needed. */
  private moduleFunctions: Map<string, string> | undefined;

  /** `topLevel`: the file's top-level statements and their types (FileModel.topLevel, topLevelTypes). */
  constructor(
    private readonly root: Node,
    topLevel: readonly Node[],
    types: readonly string[],
  ) {
    topLevel.forEach((statement, i) => {
      if (types[i] === 'import_statement') this.readImport(statement);
      else if (types[i] === 'lexical_declaration' || types[i] === 'variable_declaration') this.readRequire(statement);
    });
  }

  private readImport(statement: Node): void {
    // TypeScript's `import request = require('request')`: the whole module under that name.
    const required = statement.namedChildren.find((c) => c?.type === 'import_require_clause');
    if (required) {
      const name = required.namedChildren.find((c) => c?.type === 'identifier')?.text;
      const from = required.childForFieldName('source');
      const spec = from ? javascript.stringLiteral(from) : undefined;
      if (name && spec !== undefined) this.bindings.set(name, { module: moduleName(spec), member: null });
      return;
    }
    const source = statement.childForFieldName('source');
    const spec = source ? javascript.stringLiteral(source) : undefined;
    if (spec === undefined) return;
    const module = moduleName(spec);
    const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
    for (const part of clause?.namedChildren ?? []) {
      if (!part) continue;
      if (part.type === 'identifier') this.bindings.set(part.text, { module, member: null });
      else if (part.type === 'namespace_import') {
        const name = part.namedChildren.find((c) => c?.type === 'identifier');
        if (name) this.bindings.set(name.text, { module, member: null });
      } else if (part.type === 'named_imports') {
        for (const spec of part.namedChildren) {
          if (spec?.type !== 'import_specifier') continue;
          const imported = spec.childForFieldName('name')?.text;
          const alias = spec.childForFieldName('alias')?.text ?? imported;
          if (imported && alias) this.bindings.set(alias, { module, member: memberOf(module, imported) });
        }
      }
    }
  }

  private readRequire(statement: Node): void {
    for (const declarator of statement.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue;
      const module = requiredModule(declarator.childForFieldName('value'));
      const name = declarator.childForFieldName('name');
      if (!module && name?.type === 'identifier' && declarator.childForFieldName('value')) this.declared.add(name.text);
      if (!module || !name) continue;
      if (name.type === 'identifier') this.bindings.set(name.text, { module, member: null });
      else if (name.type === 'object_pattern') {
        for (const p of name.namedChildren) {
          if (p?.type === 'shorthand_property_identifier_pattern') this.bindings.set(p.text, { module, member: memberOf(module, p.text) });
          else if (p?.type === 'pair_pattern') {
            const key = p.childForFieldName('key')?.text;
            const value = p.childForFieldName('value');
            // `const { default: axios } = require('axios')` is the module's default export, as an import of it is.
            if (key && value?.type === 'identifier') this.bindings.set(value.text, { module, member: memberOf(module, key) });
          }
        }
      }
    }
  }

  binding(name: string): ModuleBinding | undefined {
    return this.bindings.get(name);
  }

  /** True when some name in this file is bound to `module`. */
  imports(module: string): boolean {
    for (const b of this.bindings.values()) if (b.module === module) return true;
    return false;
  }

  /**
   * The module function a call or construction reaches: `net.connect(...)` → net/connect,
   * `connect(...)` after `import { connect } from 'node:net'` → net/connect, `new WebSocket(...)` from 'ws' → ws/WebSocket.
   */
  resolve(call: Call): ResolvedCall | undefined {
    const known = this.resolved.get(call.node.id);
    if (known && known.name === call.name) return known.target;
    const target = this.resolveUncached(call);
    this.resolved.set(call.node.id, { name: call.name, target });
    return target;
  }

  private resolveUncached(call: Call): ResolvedCall | undefined {
    if (call.kind === 'new') {
      if (call.typeQualifier) {
        const ns = this.namespaceOf(call.typeQualifier);
        return ns && { ...ns, member: call.name };
      }
      const b = this.bindings.get(call.name);
      return b ? { module: b.module, member: b.member ?? call.name } : undefined;
    }
    if (call.receiver) {
      const receiver = javascript.unwrap(call.receiver);
      if (receiver.type !== 'identifier' && receiver.type !== 'member_expression') return undefined;
      const ns = this.namespaceOf(receiver.text);
      // A parameter of a function around the call holds what its caller passes (`getAuth(http: Http)`), whatever
      // the file imports under that name or the name usually means.
      if (ns && receiver.type === 'identifier' && isParameterAround(receiver)) return undefined;
      // A usual name declared in a function around the call is what that declaration says, not a guess.
      const local = ns?.guessed && receiver.type === 'identifier' ? this.localModule(receiver) : undefined;
      if (local === null) return undefined;
      return local ? { module: local, member: call.name } : ns && { ...ns, member: call.name };
    }
    const b = this.bindings.get(call.name);
    if (!b) return undefined;
    return { module: b.module, member: b.member ?? 'default' };
  }

  /**
   * The module a local name holds, when a function around `name` declares it from a require or from a function of
   * this file that returns one: `const http = this.getModule(url)` where `getModule` returns `require('https')` or
   * `require('http')`. Null when such a declaration holds something else; undefined when there is none.
   */
  private localModule(name: Node): string | null | undefined {
    for (let scope = name.parent; scope; scope = scope.parent) {
      if (!javascript.functionTypes.has(scope.type)) continue;
      for (const declarator of scope.descendantsOfType('variable_declarator')) {
        if (!declarator || declarator.startIndex > name.startIndex) continue;
        const declared = declarator.childForFieldName('name');
        const value = declarator.childForFieldName('value');
        if (declared?.text === name.text) return requiredModule(value) ?? this.returnedModule(value) ?? null;
        // `const { default: axios } = require('axios')` inside the function.
        if (declared?.type === 'object_pattern' && defaultExportNamed(declared, name.text)) return requiredModule(value) ?? null;
      }
    }
    return undefined;
  }

  /** The module a call of one of this file's functions returns: `getModule(url)`, `this.getModule(url)`. */
  private returnedModule(value: Node | null): string | undefined {
    const c = value ? javascript.call(javascript.unwrap(value)) : undefined;
    if (c?.kind !== 'call' || (c.receiver && javascript.unwrap(c.receiver).type !== 'this')) return undefined;
    this.moduleFunctions ??= functionsReturningModules(this.root);
    return this.moduleFunctions.get(c.name);
  }

  /**
   * The module a namespace expression (`net`, `http`, `undici`) stands for; a usual name without an import is a
   * guess, unless the file declares that name itself (`const http = new Http(hostType)`).
   */
  private namespaceOf(text: string): { module: string; guessed?: true } | undefined {
    const b = this.bindings.get(text);
    if (b) return b.member === null ? { module: b.module } : undefined;
    return CONVENTIONAL.has(text) && !this.declared.has(text) ? { module: text, guessed: true } : undefined;
  }
}

/**
 * The member an imported name stands for; null for the module itself: its default export, or an export named as
 * the module (`import { got } from 'got'`, got 12's named export of the same instance).
 */
function memberOf(module: string, imported: string): string | null {
  return imported === 'default' || imported === module ? null : imported;
}

/** True when a destructuring pattern binds `name` to the default export: `{ default: name }`. */
function defaultExportNamed(pattern: Node, name: string): boolean {
  return pattern.namedChildren.some((p) => p?.type === 'pair_pattern' && p.childForFieldName('key')?.text === 'default' && p.childForFieldName('value')?.text === name);
}

/** Named functions and methods whose every `return` gives the same required module (or modules of one API). */
function functionsReturningModules(root: Node): Map<string, string> {
  const found = new Map<string, string>();
  for (const fn of root.descendantsOfType(['function_declaration', 'method_definition'])) {
    const name = fn?.childForFieldName('name')?.text;
    const body = fn?.childForFieldName('body');
    if (!name || !body) continue;
    const modules = body
      .descendantsOfType('return_statement')
      .filter((r) => r && enclosingFunction(r)?.id === fn.id)
      .map((r) => requiredModule(r?.namedChildren[0] ?? null));
    if (modules.length > 0 && modules.every((m) => m !== undefined && SAME_API[m] !== undefined && SAME_API[m] === SAME_API[modules[0]!])) {
      found.set(name, modules[0]!);
    }
  }
  return found;
}

/** True when a function around `name` has a parameter of that name. */
function isParameterAround(name: Node): boolean {
  for (let fn = enclosingFunction(name); fn; fn = enclosingFunction(fn)) if (javascript.parameterNames(fn).includes(name.text)) return true;
  return false;
}

function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (javascript.functionTypes.has(n.type)) return n;
  return null;
}
