// A resource released with what made it, by a try around its acquisition: a response whose client the try closes
// (its resources or finally, or shuts the client's own connection manager down), or whose request the finally gives back (`get.releaseConnection()`). Asked before the
// resource is followed at all (ownership.ts): then it needs no release of its own.
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import { chainRoot } from '../catalog/java-acquisitions';
import { CONNECTION_MANAGER_SHUTDOWN, javaCloseHelper } from '../catalog/resources';
import { managerOfClient } from './manager-releases';
import { executedRequest } from './request-releases';
import type { FileModel } from '../model';
import { contains, type Call } from '../syntax/dialect';

const CLOSE: ReadonlySet<string> = new Set(['close']);
/** Where a Java method (or a class's body) begins: how far out a try may be that closes a lambda's client. */
const METHOD_BOUNDARY = /^(method_declaration|constructor_declaration|class_body|program)$/;

/** True when closing its client, or releasing its request, in a try around `acquisition` releases it. */
export function releasedWithItsClientOrRequest(acquisition: Acquisition, fn: Node, model: FileModel): boolean {
  return closedWithItsClient(acquisition, fn, model) || releasedByItsRequest(acquisition, fn, model);
}

/**
 * `try (CloseableHttpClient client = ...) { client.execute(get); }`, or `finally { client.close(); }` (or
 * `HttpClientUtils.closeQuietly(client)`, Saturn's AbstractElasticJob): closing the client closes what it made, also
 * when the call is in a lambda inside that try (DSpace's ORCID client runs `() -> client.execute(request)` through a
 * retry helper): whenever the lambda runs, the client's close ends the response with it, or the client is closed
 * already and makes none.
 */
function closedWithItsClient(acquisition: Acquisition, fn: Node, model: FileModel): boolean {
  if (!acquisition.kind.closedWithClient) return false;
  const made = model.dialect.call(acquisition.node);
  // `client.target(url).request().get()`: the client is the root of the chain.
  const root = made && chainRoot(made, model).receiver;
  const client = root ? model.dialect.unwrap(root) : null;
  if (client?.type !== 'identifier') return false;
  if (settledByEnclosingTry(acquisition, fn, model, client.text, CLOSE, true, true, javaCloseHelper)) return true;
  // `finally { client.getConnectionManager().shutdown(); }`: HttpClient 4.0-4.2's close (avni-bahmni's per-call
  // DefaultHttpClient), or `finally { connectionManager.shutdown(); }` of a client built over that manager (cuba's
  // FileLoaderClientImpl).
  const managers = [`${client.text}.getConnectionManager()`, managerOfClient(client.text, acquisition.node, model)?.text];
  return managers.some((manager) => !!manager && settledByEnclosingTry(acquisition, fn, model, manager, CONNECTION_MANAGER_SHUTDOWN, false, true));
}

/** `client.execute(get)` inside a try whose finally calls `get.releaseConnection()`: the request gives it back. */
function releasedByItsRequest(acquisition: Acquisition, fn: Node, model: FileModel): boolean {
  const methods = acquisition.kind.releasedByRequest;
  const request = methods && executedRequest(acquisition, model);
  return !!request && settledByEnclosingTry(acquisition, fn, model, request.text, methods, false);
}

/**
 * True when a try around the acquisition calls one of `methods` on `name` in its finally, or hands `name` to a
 * helper that bears the method's name (`releaseConnection(method)`, inherited: OpenMeetings' caldav handlers) or to
 * a `closer` (`IOUtils.closeQuietly(client)`), or (`asResource`) holds `name` in its resource list. `pastLambdas`:
 * a try of the enclosing method counts too.
 */
function settledByEnclosingTry(
  acquisition: Acquisition,
  fn: Node,
  model: FileModel,
  name: string,
  methods: ReadonlySet<string>,
  asResource: boolean,
  pastLambdas = false,
  closer?: (call: Call) => boolean,
): boolean {
  const { dialect } = model;
  const callsOnName = (block: Node) =>
    block.descendantsOfType([...dialect.callTypes]).some((node) => {
      const call = node && dialect.call(node);
      if (call && closer?.(call) && call.args.some((arg) => dialect.unwrap(arg).text === name)) return true;
      if (!call || !methods.has(call.name)) return false;
      if (call.receiver && call.receiver.type !== 'this') return dialect.unwrap(call.receiver).text.replace(/\s+/g, '') === name;
      return call.args.length === 1 && dialect.unwrap(call.args[0]).text === name;
    });
  for (let n = acquisition.node.parent; n && !(pastLambdas ? METHOD_BOUNDARY.test(n.type) : n.equals(fn)); n = n.parent) {
    const s = dialect.statement(n);
    if (s.kind !== 'try' || !contains(s.body, acquisition.node)) continue;
    if (asResource && s.resources.some((r) => r.childForFieldName('name')?.text === name || r.text === name)) return true;
    if (s.finalizer && callsOnName(s.finalizer)) return true;
  }
  return false;
}
