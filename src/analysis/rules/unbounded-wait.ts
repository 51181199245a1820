// unbounded-wait: a thread blocks on a result with no bound. Half of the original incident's deadlock: Tomcat
// workers parked in FutureTask.get() under invokeAll, waiting for work only a free worker could finish.
import { unboundedWaitAt } from '../catalog/waits';
import { handlerLabel, handlerReaching, remoteHandlerLabel, remoteHandlerReaching } from '../flow/handlers';
import { waitsOnRemoteWork } from '../flow/remote-work';
import type { Rule } from './rule';

export const unboundedWait: Rule = {
  meta: {
    id: 'unbounded-wait',
    defaultSeverity: 'info',
    description: 'A thread blocks on a result (Future.get, invokeAll, await, take, join) with no time limit.',
    families: ['java', 'js'],
    why: 'A wait without a bound turns a slow dependency into a stuck thread. In a request handler each one holds a worker; when the awaited work needs a worker too, the pool deadlocks.',
    docs: [
      'A wait without a bound turns a slow dependency into a stuck thread. In request-handling code every stuck',
      'request holds a server worker; when the awaited work itself needs a worker (a call back into this server),',
      'the pool deadlocks and sockets pile up in CLOSE_WAIT. Reported as a warning in request handlers, info elsewhere.',
    ].join('\n'),
    examples: {
      java: {
        language: 'java',
        before: 'for (Future<Hit> f : executor.invokeAll(tasks)) hits.add(f.get());',
        after: 'for (Future<Hit> f : executor.invokeAll(tasks, 10, TimeUnit.SECONDS)) {\n    if (!f.isCancelled()) hits.add(f.get());\n}',
      },
      js: {
        language: 'ts',
        before: "await once(emitter, 'ready');",
        after: "await once(emitter, 'ready', { signal: AbortSignal.timeout(10_000) });",
      },
    },
  },
  keywords: /\.(get|join|invokeAll|invokeAny|await|acquire|acquireUninterruptibly|take|takeFirst|takeLast|wait)\s*\(|\bwait\s*\(|\bonce\s*\(|Atomics/,
  check({ model, facts, report }) {
    for (const { call } of model.candidates()) {
      model.checkDeadline();
      const wait = unboundedWaitAt(call, model);
      if (!wait) continue;
      const local = handlerReaching(wait.node, model);
      const remote = local ? undefined : remoteHandlerReaching(wait.node, model, facts);
      const handler = local ?? remote;
      const label = local ? handlerLabel(local, model) : remote ? remoteHandlerLabel(remote) : '';
      const where = handler ? ` In request-handling code (${label}), every stuck request holds a server worker.` : '';
      // Blocking is often intended (a consumer thread, a shutdown hook): only a wait that holds a server worker
      // matters, and only when the work it waits for is seen to call out (flow/remote-work.ts).
      const certainty = !handler
        ? { confidence: 'possible' as const, basis: `${wait.certainty.basis}; no request handler is seen reaching it` }
        : wait.certainty.confidence !== 'certain'
          ? wait.certainty
          : waitsOnRemoteWork(wait.node, model)
            ? { confidence: 'certain' as const, basis: `${wait.certainty.basis}; reached from the request handler ${label}, waiting on work that makes HTTP calls` }
            : {
                confidence: 'possible' as const,
                basis: `${wait.certainty.basis}; reached from the request handler ${label}, but no HTTP call is seen in the work it waits for (its bounds, a client's or a database's timeouts, are elsewhere)`,
              };
      report({
        node: wait.node,
        severity: handler ? 'warning' : 'info',
        resource: wait.api,
        ...certainty,
        message: `${wait.api} waits without a time limit: if the awaited work never finishes (a stalled remote call, a call back into this server) this thread is parked forever.${where} Fix: ${wait.fix}.`,
      });
    }
  },
};
