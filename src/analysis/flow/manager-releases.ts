// A client built over a connection manager of its own (`HttpClientBuilder.create().setConnectionManager(cm).build()`)
// is released by shutting that manager down: `cm.shutdown()` (or close()) closes every connection the client made,
// its responses' included (cuba's FileLoaderClientImpl makes both per upload and shuts the manager down in a
// finally). ownership.ts adds these places to the client's release events; released-with-owner.ts lets a try that
// shuts the manager down settle the client's responses. (A client held in a field: field-leaks.ts.)
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import type { FileModel } from '../model';
import type { Event } from './paths';
import { releasingCallsOn } from './request-releases';

/** The local variable naming the manager a builder chain (`...setConnectionManager(cm)...build()`) gives its client. */
export function managerOfChain(built: Node, model: FileModel): Node | undefined {
  const { dialect } = model;
  for (let call = dialect.call(dialect.unwrap(built)); call; call = call.receiver ? dialect.call(dialect.unwrap(call.receiver)) : null) {
    if (call.name !== 'setConnectionManager' || call.args.length !== 1) continue;
    const manager = dialect.unwrap(call.args[0]);
    return manager.type === 'identifier' ? manager : undefined;
  }
  return undefined;
}

/** The manager of the client variable `client` as declared where `at` sees it. */
export function managerOfClient(client: string, at: Node, model: FileModel): Node | undefined {
  const init = model.declaratorOf(client, at)?.childForFieldName('value');
  return init ? managerOfChain(init, model) : undefined;
}

/** The release events of `acquisition`'s own manager in `fn`: the shutdowns after the acquisition. */
export function managerReleases(acquisition: Acquisition, fn: Node, model: FileModel): Event[] {
  const methods = acquisition.kind.releasedByManager;
  const manager = methods && managerOfChain(acquisition.node, model);
  if (!manager) return [];
  return releasingCallsOn(manager.text, methods, acquisition, fn, model).map(({ ref }) => ({ node: ref, type: 'release' }));
}
