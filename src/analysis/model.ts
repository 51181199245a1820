// Everything rules may want to know about one parsed file, computed on first use and shared by all rules.
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from './parse/source';
import { closest, walk, type Dialect } from './syntax/dialect';
import { dialectFor } from './syntax';
import { JavaTypes } from './syntax/java-types';
import { JsModules } from './syntax/js-modules';

export class FileModel {
  readonly dialect: Dialect;
  private javaTypesCache?: JavaTypes;
  private jsModulesCache?: JsModules;
  private declaredCache = new Map<number, Set<string>>();
  private methodsCache?: Map<string, Node[]>;

  constructor(readonly file: SourceFile) {
    this.dialect = dialectFor(file.language);
  }

  get root(): Node {
    return this.file.tree.rootNode;
  }

  get isJava(): boolean {
    return this.dialect.family === 'java';
  }

  get javaTypes(): JavaTypes {
    this.javaTypesCache ??= new JavaTypes(this.root);
    return this.javaTypesCache;
  }

  get jsModules(): JsModules {
    this.jsModulesCache ??= new JsModules(this.root);
    return this.jsModulesCache;
  }

  /** The innermost function, method, constructor or lambda around `node`; null at top level. */
  functionOf(node: Node): Node | null {
    const parent = node.parent;
    return parent ? closest(parent, this.dialect.functionTypes) : null;
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

  /** References to variable `name` under `scope` (nested functions included), in source order. */
  references(scope: Node, name: string): Node[] {
    const found: Node[] = [];
    const { dialect } = this;
    walk(scope, (node) => {
      if (dialect.referenceTypes.has(node.type) && node.text === name && dialect.isReference(node)) found.push(node);
      return true;
    });
    return found;
  }

  /** Methods and named functions of this file by name, for following a value into a same-file helper. */
  methodsNamed(name: string): Node[] {
    if (!this.methodsCache) {
      const methods = new Map<string, Node[]>();
      const types = this.isJava ? ['method_declaration'] : ['function_declaration', 'method_definition'];
      for (const node of this.root.descendantsOfType(types)) {
        const id = node?.childForFieldName('name')?.text;
        if (!node || !id) continue;
        const list = methods.get(id) ?? [];
        list.push(node);
        methods.set(id, list);
      }
      this.methodsCache = methods;
    }
    return this.methodsCache.get(name) ?? [];
  }
}
