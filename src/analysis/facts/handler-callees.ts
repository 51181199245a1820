// Which methods of this workspace request handlers call in other files: `searchManager.search(ids)` in a controller
// makes `SearchManager.search` request-handling code, so a wait or a self-call there holds a server worker just as
// it would in the controller. Read from the Java files that declare handlers; matched by class (or interface) name
// and method name where the callee is checked.
import type { Node } from 'web-tree-sitter';
import { handlerReaching, isRequestHandler } from '../flow/handlers';
import type { FileModel } from '../model';
import { simpleName } from '../syntax/java-types';
import { KNOWN_TYPES } from '../syntax/java-library';
import type { HandlerCallee } from './workspace';

/** Cheap pre-filter: only Java files containing one of these can declare a request handler. */
export const DECLARES_HANDLER =
  /@(Get|Post|Put|Delete|Patch|Request)Mapping\b|@(Rest)?Controller\b|@Path\b|@(GET|POST|PUT|DELETE)\b|\bdo(Get|Post|Put|Delete)\s*\(|\bStapler(Request|Response)|@QueryParameter\b|@RequirePOST\b|ChannelHandlerContext/;

/** A type of the project itself (not the JDK's, not a library type the catalogues know). */
function isProjectType(type: string): boolean {
  return !/^(java|javax|jakarta|sun|jdk)\./.test(type) && !KNOWN_TYPES.has(type) && /^[\w.$]+$/.test(type);
}

/** The handler-to-method edges a Java file contributes: calls on fields, parameters and locals of project types. */
export function handlerCalleesOf(model: FileModel): HandlerCallee[] {
  if (!model.isJava || !DECLARES_HANDLER.test(model.file.text)) return [];
  const found = new Map<string, HandlerCallee>();
  for (const unit of model.structure().units) {
    const handler = isRequestHandler(unit, model) ? unit : handlerReaching(unit, model);
    if (!handler) continue;
    const label = `${enclosingClass(handler) ?? ''}.${handler.childForFieldName('name')?.text ?? 'handler'}`.replace(/^\./, '');
    for (const node of unit.descendantsOfType([...model.dialect.callTypes])) {
      const c = node && model.dialect.call(node);
      if (!node || c?.kind !== 'call' || !c.receiver) continue;
      const type = model.javaTypes.typeOf(c.receiver, model.functionOf(node));
      if (!type || !isProjectType(type)) continue;
      const key = `${simpleName(type)}.${c.name}/${c.args.length}`;
      if (!found.has(key)) {
        found.set(key, { type: simpleName(type), method: c.name, arity: c.args.length, handler: label, file: model.file.path, line: node.startPosition.row + 1 });
      }
    }
  }
  return [...found.values()];
}

/** The simple name of the class (or enum, record) a node is declared in. */
export function enclosingClass(node: Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (/^(class|enum|record|interface)_declaration$/.test(n.type)) return n.childForFieldName('name')?.text;
  }
  return undefined;
}
