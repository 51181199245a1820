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

function requiredModule(node: Node | null): string | undefined {
  if (!node) return undefined;
  let value = javascript.unwrap(node);
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
  /** Every rule asks about the same calls: the last answer per call node (with the name it was for). */
  private readonly resolved = new Map<number, { name: string; target: ResolvedCall | undefined }>();

  constructor(root: Node) {
    for (const statement of root.namedChildren) {
      if (!statement) continue;
      if (statement.type === 'import_statement') this.readImport(statement);
      else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') this.readRequire(statement);
    }
  }

  private readImport(statement: Node): void {
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
          if (imported && alias) this.bindings.set(alias, { module, member: imported === 'default' ? null : imported });
        }
      }
    }
  }

  private readRequire(statement: Node): void {
    for (const declarator of statement.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue;
      const module = requiredModule(declarator.childForFieldName('value'));
      const name = declarator.childForFieldName('name');
      if (!module || !name) continue;
      if (name.type === 'identifier') this.bindings.set(name.text, { module, member: null });
      else if (name.type === 'object_pattern') {
        for (const p of name.namedChildren) {
          if (p?.type === 'shorthand_property_identifier_pattern') this.bindings.set(p.text, { module, member: p.text });
          else if (p?.type === 'pair_pattern') {
            const key = p.childForFieldName('key')?.text;
            const value = p.childForFieldName('value');
            if (key && value?.type === 'identifier') this.bindings.set(value.text, { module, member: key });
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
      return ns && { ...ns, member: call.name };
    }
    const b = this.bindings.get(call.name);
    if (!b) return undefined;
    return { module: b.module, member: b.member ?? 'default' };
  }

  /** The module a namespace expression (`net`, `http`, `undici`) stands for; a usual name without an import is a guess. */
  private namespaceOf(text: string): { module: string; guessed?: true } | undefined {
    const b = this.bindings.get(text);
    if (b) return b.member === null ? { module: b.module } : undefined;
    return CONVENTIONAL.has(text) ? { module: text, guessed: true } : undefined;
  }
}
