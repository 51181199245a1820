// Just enough Java typing to tell an Apache HttpClient from a java.net.http one, or from a project's own class:
// imports, declared types of fields, locals and parameters, and the return types of the factory and builder
// methods the library table knows. Types come out fully qualified when the file's imports say which type a name is;
// a name they do not resolve stays as written (a project class, or one we cannot see): rules then say nothing in
// the default profile.
import type { Node } from 'web-tree-sitter';
import { java } from './java';
import { JAVA_LANG, KNOWN_TYPES, RETURNS } from './java-library';

/** Java imports of one file: simple name → fully qualified name, plus wildcard packages. */
export interface JavaImports {
  readonly explicit: ReadonlyMap<string, string>;
  readonly wildcards: readonly string[];
  readonly staticMembers: ReadonlyMap<string, string>;
}

export function readJavaImports(root: Node): JavaImports {
  const explicit = new Map<string, string>();
  const staticMembers = new Map<string, string>();
  const wildcards: string[] = [];
  for (const child of root.namedChildren) {
    if (child?.type !== 'import_declaration') continue;
    const text = child.text.replace(/^import\s+/, '').replace(/;\s*$/, '').replace(/\s+/g, '');
    const isStatic = text.startsWith('static');
    const path = isStatic ? text.slice('static'.length) : text;
    if (path.endsWith('.*')) {
      if (!isStatic) wildcards.push(path.slice(0, -2));
      continue;
    }
    const simple = path.slice(path.lastIndexOf('.') + 1);
    (isStatic ? staticMembers : explicit).set(simple, path);
  }
  return { explicit, wildcards, staticMembers };
}

/** Strips generics and array brackets: `Future<String>[]` → `Future`. */
export function rawType(typeText: string): string {
  let depth = 0;
  let out = '';
  for (const ch of typeText) {
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    else if (depth === 0 && ch !== '[' && ch !== ']' && !/\s/.test(ch)) out += ch;
  }
  return out;
}

export function simpleName(typeText: string): string {
  const raw = rawType(typeText);
  const builder = raw.match(/([A-Za-z_$][\w$]*\.Builder)$/);
  if (builder) return builder[1];
  return raw.slice(raw.lastIndexOf('.') + 1);
}

/** Per-file type knowledge: the imports and the declared types of fields. */
export class JavaTypes {
  readonly imports: JavaImports;
  private readonly fields = new Map<string, string>();
  private readonly locals = new Map<number, Map<string, string>>();

  constructor(
    readonly root: Node,
    declarations: { readonly skeleton: readonly Node[]; readonly types: readonly Node[] },
  ) {
    this.imports = readJavaImports(root);
    for (const node of [...declarations.skeleton, ...declarations.types]) {
      if (node?.type === 'field_declaration') {
        const type = node.childForFieldName('type')?.text;
        for (const declarator of node.childrenForFieldName('declarator')) {
          const name = declarator?.childForFieldName('name')?.text;
          if (name && type) this.fields.set(name, this.declaredOrInferred(type, declarator?.childForFieldName('value') ?? null, null));
        }
      } else if (node?.type === 'record_declaration') {
        for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
          const name = p?.childForFieldName('name')?.text;
          const type = p?.childForFieldName('type')?.text;
          if (name && type) this.fields.set(name, type);
        }
      }
    }
  }

  /**
   * The fully qualified name a type name (as written) stands for, when the file says: a qualified name, an explicit
   * import, java.lang, or a wildcard import of a package that has a library type of that name. Otherwise the raw
   * name: a class of this package, or of a wildcard package whose types we do not know.
   */
  qualify(typeText: string): string {
    const raw = rawType(typeText);
    if (raw.includes('.') && /^[a-z]/.test(raw)) return raw;
    const head = raw.split('.')[0];
    const rest = raw.slice(head.length);
    const imported = this.imports.explicit.get(head);
    if (imported) return imported + rest;
    for (const wildcard of this.imports.wildcards) if (KNOWN_TYPES.has(`${wildcard}.${head}`)) return `${wildcard}.${head}${rest}`;
    if (JAVA_LANG.has(head)) return `java.lang.${raw}`;
    return raw;
  }

  /** True when `typeText` (as written here) is the library type `fqn`. */
  refersTo(typeText: string, fqn: string): boolean {
    return this.qualify(typeText) === fqn;
  }

  /** True when the file imports anything from `packagePrefix` (e.g. `org.apache.hc.`). */
  importsFrom(packagePrefix: string): boolean {
    for (const fqn of this.imports.explicit.values()) if (fqn.startsWith(packagePrefix)) return true;
    return this.imports.wildcards.some((w) => w.startsWith(packagePrefix) || `${w}.`.startsWith(packagePrefix));
  }

  private localsOf(fn: Node): Map<string, string> {
    let map = this.locals.get(fn.id);
    if (map) return map;
    map = new Map();
    const locals = map;
    // Registered before it is filled: inferring `var b = a.build()` looks up `a`, declared earlier in this map.
    this.locals.set(fn.id, map);
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      const name = p?.childForFieldName('name')?.text;
      const type = p?.childForFieldName('type')?.text;
      if (name && type) locals.set(name, type);
    }
    for (const node of fn.descendantsOfType(['local_variable_declaration', 'resource', 'catch_formal_parameter', 'enhanced_for_statement'])) {
      if (!node) continue;
      if (node.type === 'local_variable_declaration') {
        const type = node.childForFieldName('type')?.text ?? '';
        for (const declarator of node.childrenForFieldName('declarator')) {
          const name = declarator?.childForFieldName('name')?.text;
          if (name) locals.set(name, this.declaredOrInferred(type, declarator?.childForFieldName('value') ?? null, fn));
        }
      } else if (node.type === 'resource') {
        const name = node.childForFieldName('name')?.text;
        const type = node.childForFieldName('type')?.text ?? '';
        if (name) locals.set(name, this.declaredOrInferred(type, node.childForFieldName('value'), fn));
      } else if (node.type === 'catch_formal_parameter' || node.type === 'enhanced_for_statement') {
        const name = node.childForFieldName('name')?.text;
        const type = node.childForFieldName('type')?.text;
        if (name && type) locals.set(name, type);
      }
    }
    return map;
  }

  private declaredOrInferred(type: string, value: Node | null, fn: Node | null): string {
    if (type !== 'var' || !value) return type;
    return (fn ? this.typeOf(value, fn) : this.typeOfConstant(value)) ?? type;
  }

  private typeOfConstant(value: Node): string | undefined {
    const unwrapped = java.unwrap(value);
    const c = java.call(unwrapped);
    if (c?.kind === 'new') return c.typeQualifier ? `${c.typeQualifier}.${c.name}` : c.name;
    return undefined;
  }

  /** The declared type of a variable visible in `fn` (local, parameter or field). */
  typeOfName(name: string, fn: Node | null): string | undefined {
    return (fn ? this.localsOf(fn).get(name) : undefined) ?? this.fields.get(name);
  }

  /**
   * The static type of an expression when it can be read off declarations and known factories: fully qualified
   * when the imports resolve it (see `qualify`), else as written.
   */
  typeOf(expr: Node, fn: Node | null, depth = 0): string | undefined {
    const type = this.writtenTypeOf(expr, fn, depth);
    return type === undefined ? undefined : this.qualify(type);
  }

  private writtenTypeOf(expr: Node, fn: Node | null, depth: number): string | undefined {
    if (depth > 12) return undefined;
    const node = java.unwrap(expr);
    if (expr.type === 'cast_expression') return expr.childForFieldName('type')?.text;
    if (node.type === 'identifier') return this.typeOfName(node.text, fn);
    if (node.type === 'field_access' && node.childForFieldName('object')?.type === 'this') {
      const field = node.childForFieldName('field')?.text;
      return field ? this.fields.get(field) : undefined;
    }
    const c = java.call(node);
    if (!c) return undefined;
    if (c.kind === 'new') {
      // `new OkHttpClient.Builder()` keeps its qualifier, as does `new java.net.Socket()`.
      return c.typeQualifier ? `${c.typeQualifier}.${c.name}` : c.name;
    }
    const receiverType = c.receiver ? this.receiverType(c.receiver, fn, depth) : undefined;
    if (receiverType) {
      const known = RETURNS[`${receiverType}.${c.name}`];
      if (known) return known;
      // Fluent builders return themselves from every setter.
      if (/Builder$/.test(receiverType) && c.name !== 'build') return receiverType;
    }
    return undefined;
  }

  /** Qualified type of a call's receiver: a variable's type, or the class itself for static calls (`HttpClients`). */
  private receiverType(receiver: Node, fn: Node | null, depth: number): string | undefined {
    const node = java.unwrap(receiver);
    if (node.type === 'identifier') {
      const declared = this.typeOfName(node.text, fn);
      if (declared) return this.qualify(declared);
      return /^[A-Z]/.test(node.text) ? this.qualify(node.text) : undefined;
    }
    if (node.type === 'field_access' && node.childForFieldName('object')?.type !== 'this') {
      // `java.net.http.HttpClient.newBuilder()` or `HttpClient.Redirect`: a qualified class name.
      const text = node.text.replace(/\s+/g, '');
      if (/^[a-z][\w.]*\.[A-Z]\w*$/.test(text) || /^[A-Z]\w*\.[A-Z]\w*$/.test(text)) return this.qualify(text);
    }
    return this.typeOf(node, fn, depth + 1);
  }
}
