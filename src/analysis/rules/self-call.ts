// self-call: a server that calls its own HTTP endpoints. Under load every worker can end up waiting for a reply
// that only another worker of the same pool could send: the original incident's deadlock, 4,023 CLOSE_WAIT
// sockets and a Tomcat that never recovered. No other analyser looks for it; it needs the workspace's ports.
import { httpCallAt, type HttpCall } from '../catalog/http-calls';
import { projectOf, type Declaration, type ListeningPort, type OwnBaseUrl, type WorkspaceFacts } from '../facts/workspace';
import { handlerLabel, handlerReaching, remoteHandlerLabel, remoteHandlerReaching } from '../flow/handlers';
import { Evaluator, UNKNOWN } from '../flow/values';
import type { Rule } from './rule';

interface Target {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  /** The URL as far as it is known, unknown parts shown as `…`. */
  readonly display: string;
  /** Scheme, host and port normalised, plus the rest: for comparing with configured base URLs. */
  readonly normalised: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };
const LOCAL_HOSTS = /^(localhost|[\w-]+\.localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|::1?|\[::1?\]|0:0:0:0:0:0:0:1|\[0:0:0:0:0:0:0:1\])$/i;

function parseUrl(text: string): Target | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?(.*)$/i.exec(text);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  const host = match[2].toLowerCase();
  if (!host || host.includes(UNKNOWN)) return undefined;
  const portText = match[3];
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) return undefined;
  const port = portText !== undefined ? Number(portText) : DEFAULT_PORTS[scheme];
  if (port === undefined) return undefined;
  return {
    scheme,
    host,
    port,
    display: text.replace(new RegExp(`${UNKNOWN}+`, 'g'), '…'),
    normalised: `${scheme}://${host}:${port}${match[4]}`,
  };
}

function targetOf(call: HttpCall, evaluator: Evaluator): Target | undefined {
  if (call.url.kind === 'url') return parseUrl(evaluator.evaluate(call.url.expression).text);
  const host = call.url.host ? evaluator.evaluate(call.url.host).text : 'localhost';
  const protocol = call.url.protocol ? evaluator.evaluate(call.url.protocol).text.replace(/:$/, '') : call.client.startsWith('https') ? 'https' : 'http';
  const port = call.url.port ? evaluator.evaluate(call.url.port).text : '';
  return parseUrl(`${protocol}://${host}${port ? `:${port}` : ''}/`);
}

function where(d: Declaration): string {
  return `${d.file}:${d.line}`;
}

function isOwnBaseUrl(target: Target, base: OwnBaseUrl): boolean {
  const own = parseUrl(base.url);
  if (!own) return false;
  const prefix = own.normalised.replace(/\/+$/, '');
  return target.normalised === prefix || target.normalised.startsWith(`${prefix}/`) || target.normalised.startsWith(`${prefix}?`);
}

function isLocal(target: Target, facts: WorkspaceFacts): boolean {
  return LOCAL_HOSTS.test(target.host) || facts.extraHosts.some((h) => h.toLowerCase() === target.host);
}

const EXPLANATION =
  'Under load every worker can end up waiting for a reply that only another worker of the same server could send: a deadlock that leaves sockets in CLOSE_WAIT.';
const FIX = 'Call the code in-process instead, or serve this from a separate server (or at least a separate bounded pool with timeouts).';

export const selfCall: Rule = {
  meta: {
    id: 'self-call',
    defaultSeverity: 'warning',
    description: 'An HTTP call to this application itself (its own port on localhost, or its configured public URL).',
    families: ['java', 'js'],
    why: 'An HTTP call from a server to **itself** needs a second worker while the first waits. Under load none is free to answer: it deadlocks, sockets pile up in **CLOSE_WAIT**, and it does not recover.',
    docs: [
      'An HTTP call from a server to **itself** needs a second worker of the same pool while the first one waits.',
      'Under load all workers wait and none is free to answer: the server deadlocks, sockets pile up in **CLOSE_WAIT**',
      'and it does not recover when the load stops. In the original incident a Tomcat webapp fetched static HTML from',
      '`http://localhost:8080/...`, its own Tomcat, and hung at 4,023 CLOSE_WAIT sockets.',
      'Reported as an error when the call is reached from request-handling code.',
    ].join('\n'),
    examples: {
      java: {
        language: 'java',
        before: 'String header = rest.getForObject("http://localhost:8080/reports/" + id + "/header", String.class);',
        after: 'String header = headerService.render(id); // call the code, not the server',
      },
      js: {
        language: 'ts',
        before: 'const quote = await (await fetch(`http://localhost:${PORT}/quotes/${id}`)).json();',
        after: 'const quote = await quotes.find(id); // call the code, not the server',
      },
    },
  },
  keywords: /localhost|127\.0\.0\.1|0\.0\.0\.0|::1|\$\{|process\.env|@Value|https?:\/\/|[Uu]rl|URL|URI|getFor|postFor|exchange/,
  check({ model, facts, report }) {
    if (facts.ports.length === 0 && facts.baseUrls.length === 0) return;
    const project = projectOf(facts, model.file.path);
    const ports = facts.ports.filter((p) => p.project === project);
    const baseUrls = facts.baseUrls.filter((b) => b.project === project);
    if (ports.length === 0 && baseUrls.length === 0) return;
    const evaluator = new Evaluator(model, facts);
    for (const { call } of model.candidates()) {
      model.checkDeadline();
      const http = httpCallAt(call, model);
      if (!http) continue;
      const target = targetOf(http, evaluator);
      if (!target) continue;
      const port: ListeningPort | undefined = isLocal(target, facts) ? ports.find((p) => p.port === target.port) : undefined;
      const base = port ? undefined : baseUrls.find((b) => isOwnBaseUrl(target, b));
      if (!port && !base) continue;
      const local = handlerReaching(http.node, model);
      const remote = local ? undefined : remoteHandlerReaching(http.node, model, facts);
      const handler = local ?? remote;
      const handlerName = local ? handlerLabel(local, model) : remote ? remoteHandlerLabel(remote) : undefined;
      const reached = handlerName ? ` It runs while handling a request (${handlerName}), so it holds a worker while it waits.` : '';
      const declaration = port ?? base!;
      const what = port
        ? `this application listens on port ${port.port} (${port.origin} at ${where(port)})`
        : `that is this service's own URL (${base!.name} at ${where(base!)})`;
      report({
        node: http.node,
        severity: handler ? 'error' : 'warning',
        resource: http.client,
        message: `Self-referential HTTP call: ${http.client} calls ${target.display}, and ${what}. ${EXPLANATION}${reached} ${FIX}`,
        basis: port ? `calls ${target.host}:${target.port}, a port this project listens on` : `calls this service's own base URL (${base!.name})`,
        related: [
          {
            file: declaration.file,
            line: declaration.line,
            message: port ? `port ${port.port} is declared here (${port.origin})` : `this service's own URL is declared here (${base!.name})`,
          },
        ],
      });
    }
  },
};
