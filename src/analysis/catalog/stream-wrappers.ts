// Stream wrappers that do not close what they wrap. Wrapping a socket's stream (or the socket) in a decorator moves
// the duty to close onto the decorator only when its close() closes the inner stream: the JDK's decorators do, and
// so does almost every library's. These do not, on purpose: a close shield exists to keep the inner stream open, and
// an anonymous subclass that overrides close() without delegating does the same.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';

/** Fully qualified wrapper classes whose close() leaves the wrapped stream or socket open, with what it does instead. */
const NON_CLOSING_WRAPPERS: ReadonlyMap<string, string> = new Map([
  ['org.apache.commons.io.input.CloseShieldInputStream', 'a close shield'],
  ['org.apache.commons.io.output.CloseShieldOutputStream', 'a close shield'],
  ['org.apache.commons.io.input.CloseShieldReader', 'a close shield'],
  ['org.apache.commons.io.output.CloseShieldWriter', 'a close shield'],
  ['org.apache.commons.io.channels.CloseShieldChannel', 'a close shield'],
  // Jenkins remoting: close() shuts down one direction of the socket (shutdownInput/shutdownOutput), never closes it.
  ['hudson.remoting.SocketInputStream', 'it only shuts down the input side'],
  ['hudson.remoting.SocketOutputStream', 'it only shuts down the output side'],
]);

/**
 * Why closing `new X(inner)` would leave `inner` open, or undefined when it closes it (as far as we can tell): a
 * known non-closing wrapper, or an anonymous subclass whose close() neither calls super.close() nor closes anything.
 */
export function wrapperKeepsInnerOpen(call: Call, model: FileModel): string | undefined {
  if (call.kind !== 'new' || !model.isJava) return undefined;
  const body = call.node.namedChildren.find((c): c is Node => c?.type === 'class_body');
  if (body && overridesCloseWithoutClosing(body)) return `${call.name}'s close() is overridden and does not close what it wraps`;
  const type = call.node.childForFieldName('type')?.text;
  const why = type ? NON_CLOSING_WRAPPERS.get(model.javaTypes.qualify(type)) : undefined;
  return why ? `${call.name} does not close what it wraps: ${why}` : undefined;
}

function overridesCloseWithoutClosing(classBody: Node): boolean {
  for (const member of classBody.namedChildren) {
    if (member?.type !== 'method_declaration' || member.childForFieldName('name')?.text !== 'close') continue;
    if ((member.childForFieldName('parameters')?.namedChildCount ?? 0) > 0) continue;
    return !/\bclose\s*\(/.test(member.childForFieldName('body')?.text ?? '');
  }
  return false;
}
