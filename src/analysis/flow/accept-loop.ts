// A connection accepted in a server's loop whose set-up throws before it is handed over. When the catch that gets the
// exception cannot close it (it never names the connection) and does not rethrow, the loop goes on to the next client
// and this one stays open: every client whose set-up fails leaks a descriptor, for as long as the server runs.
import type { Node } from 'web-tree-sitter';
import { chainRoot } from '../catalog/java-acquisitions';
import type { FileModel } from '../model';
import { contains, lineOf } from '../syntax/dialect';
import { LOGGING_RECEIVER as LOGGING } from './safe-calls';

/** Catch clauses that get the I/O failures of a set-up step (configureBlocking, register, setSoTimeout, a handshake). */
const CATCHES_IO = /^(IOException|SocketException|ClosedChannelException|SSLException|Exception|Throwable)$/;

/**
 * The line of the catch that swallows a set-up failure of the connection `accepted` (held in `name`) before its
 * hand-over at line `handover`, and loops on; undefined when there is none, or when no set-up step can really fail.
 */
export function swallowingCatchLine(accepted: Node, name: string, handover: number, model: FileModel): number | undefined {
  const { dialect } = model;
  if (!model.isJava || dialect.call(accepted)?.name !== 'accept') return undefined;
  const fn = model.functionOf(accepted);
  if (!fn || !setUpCanFail(fn, accepted, name, handover, model)) return undefined;
  for (let n = accepted.parent; n && fn && !n.equals(fn); n = n.parent) {
    const s = dialect.statement(n);
    if (s.kind !== 'try' || !contains(s.body, accepted) || s.catches.length === 0) continue;
    const io = s.catches.find((c) => catchTypes(c).some((t) => CATCHES_IO.test(t)));
    if (!io || mentions(io, name, model) || io.descendantsOfType('throw_statement').length > 0) return undefined;
    return insideLoop(n, fn, model) ? lineOf(io) : undefined;
  }
  return undefined;
}

/**
 * Whether a step between the accept and the hand-over can really fail: a call of another object or of the project
 * (a handshake, a read, a factory). The connection's own option setters and stream getters fail only once it is
 * closed, and constructors only wrap it: a freshly accepted connection gets past them.
 */
function setUpCanFail(fn: Node, accepted: Node, name: string, handover: number, model: FileModel): boolean {
  const { dialect } = model;
  for (const node of fn.descendantsOfType([...dialect.callTypes])) {
    if (!node || node.startIndex < accepted.endIndex || lineOf(node) >= handover) continue;
    const call = dialect.call(node);
    if (!call || call.kind === 'new') continue;
    const receiver = chainRoot(call, model).receiver;
    const root = receiver ? dialect.unwrap(receiver).text : '';
    if (root === name || LOGGING.test(root)) continue;
    return true;
  }
  return false;
}

/** The exception types of a catch, from its body (what the dialect gives) up to the clause. */
function catchTypes(body: Node): string[] {
  const clause = body.parent;
  const param = clause?.namedChildren.find((c) => c?.type === 'catch_formal_parameter');
  const types = param?.namedChildren.find((c) => c?.type === 'catch_type');
  return (types?.namedChildren ?? []).map((t) => t?.text.replace(/^.*\./, '') ?? '');
}

function mentions(node: Node, name: string, model: FileModel): boolean {
  return model.occurrences(name, node).some((n) => n.type === 'identifier');
}

function insideLoop(node: Node, fn: Node, model: FileModel): boolean {
  for (let n = node.parent; n && !n.equals(fn); n = n.parent) if (model.dialect.statement(n).kind === 'loop') return true;
  return false;
}
