// The catalogue of HTTP calls and where each takes its URL: the question the self-call rule asks of every client
// the other rules know (Apache HttpClient, HttpURLConnection, RestTemplate, WebClient, OkHttp, JAX-RS, java.net.http,
// fetch, axios, got, http.request, superagent, undici).
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { objectProperty } from '../syntax/javascript';
import { chainRoot } from './java-acquisitions';
import { FETCH_MODULES } from './js-acquisitions';

export type UrlSource =
  /** An expression whose value is the URL (or a base URL the client's calls are relative to). */
  | { readonly kind: 'url'; readonly expression: Node }
  /** Node's `http.request({ hostname, port, protocol })`. */
  | { readonly kind: 'parts'; readonly host?: Node; readonly port?: Node; readonly protocol?: Node };

export interface HttpCall {
  /** Where the finding goes: the call or construction that names the URL. */
  readonly node: Node;
  /** The client, for messages: "HttpClient", "RestTemplate", "fetch". */
  readonly client: string;
  readonly url: UrlSource;
}

const APACHE_REQUESTS = /^(HttpGet|HttpPost|HttpPut|HttpDelete|HttpHead|HttpPatch|HttpOptions|HttpTrace)$/;
const REST_TEMPLATE_METHODS =
  /^(getForObject|getForEntity|postForObject|postForEntity|postForLocation|put|delete|exchange|execute|patchForObject|headForHeaders|optionsForAllow)$/;
const HTTP_VERBS = /^(get|post|put|patch|delete|head|options|trace|Get|Post|Put|Patch|Delete|Head|Options)$/;

function url(node: Node, client: string, expression: Node | undefined): HttpCall | undefined {
  return expression ? { node, client, url: { kind: 'url', expression } } : undefined;
}

function javaHttpCall(call: Call, model: FileModel): HttpCall | undefined {
  const { node, args } = call;
  const receiver = call.receiver ? model.dialect.unwrap(call.receiver).text.replace(/\s+/g, '') : '';
  if (call.kind === 'new') {
    if (APACHE_REQUESTS.test(call.name)) return url(node, 'HttpClient', args[0]);
    if (call.name === 'BasicClassicHttpRequest' || call.name === 'HttpUriRequestBase') return url(node, 'HttpClient', args[1]);
    return undefined;
  }
  if (HTTP_VERBS.test(call.name) && /(^|\.)(ClassicRequestBuilder|SimpleRequestBuilder|Request|RequestBuilder)$/.test(receiver)) {
    return url(node, 'HttpClient', args[0]);
  }
  if (REST_TEMPLATE_METHODS.test(call.name) && call.receiver) {
    const type = model.javaTypes.typeOf(call.receiver, model.functionOf(node)) ?? '';
    if (/RestTemplate|RestOperations/.test(type) || (!type && /rest|template/i.test(receiver))) return url(node, 'RestTemplate', args[0]);
  }
  switch (call.name) {
    case 'uri':
    case 'baseUrl':
      return args.length >= 1 && call.receiver ? url(node, clientOfChain(call, model), args[0]) : undefined;
    case 'create':
      return /(^|\.)(WebClient|RestClient)$/.test(receiver) ? url(node, receiver.replace(/^.*\./, ''), args[0]) : undefined;
    case 'newBuilder':
      return /(^|\.)HttpRequest$/.test(receiver) ? url(node, 'java.net.http.HttpClient', args[0]) : undefined;
    case 'url': {
      const root = chainRoot(call, model);
      const isOkHttp = (root.kind === 'new' && /Builder$/.test(root.name)) || /builder/i.test(receiver);
      return isOkHttp ? url(node, 'OkHttp', args[0]) : undefined;
    }
    case 'target':
      return call.receiver && args.length === 1 ? url(node, 'JAX-RS Client', args[0]) : undefined;
    case 'openConnection':
      return call.receiver ? url(node, 'HttpURLConnection', call.receiver) : undefined;
    case 'connect':
      return /(^|\.)Jsoup$/.test(receiver) ? url(node, 'Jsoup', args[0]) : undefined;
  }
  return undefined;
}

function clientOfChain(call: Call, model: FileModel): string {
  const root = chainRoot(call, model);
  const text = root.receiver?.text ?? root.name;
  if (/WebClient/.test(text)) return 'WebClient';
  if (/RestClient/.test(text)) return 'RestClient';
  if (/HttpRequest/.test(text)) return 'java.net.http.HttpClient';
  return /webClient/i.test(text) ? 'WebClient' : 'HTTP client';
}

const AXIOS_URL_FIRST = /^(get|post|put|patch|delete|head|options|postForm|putForm|patchForm)$/;
const GOT_METHODS = /^(default|get|post|put|patch|delete|head|stream)$/;

function jsHttpCall(call: Call, model: FileModel): HttpCall | undefined {
  const { node, args } = call;
  if (call.kind !== 'call') return undefined;
  const target = model.jsModules.resolve(call);
  const member = target?.member ?? (call.receiver ? '' : call.name);
  const module = target?.module;
  if (member === 'fetch' && (!module || FETCH_MODULES.test(module))) {
    return !module && (call.receiver || model.shadowsGlobal('fetch', call.node)) ? undefined : url(node, 'fetch', args[0]);
  }
  if (module === 'axios') {
    if (AXIOS_URL_FIRST.test(member)) return url(node, 'axios', args[0]);
    if (member === 'create' || member === 'request' || member === 'default') {
      const first = args[0] && model.dialect.unwrap(args[0]);
      if (first?.type === 'object') return url(node, 'axios', objectProperty(first, member === 'create' ? 'baseURL' : 'url'));
      return member === 'default' ? url(node, 'axios', args[0]) : undefined;
    }
  }
  if (module === 'got' && GOT_METHODS.test(member)) return url(node, 'got', args[0]);
  // Nest's HttpService (axios underneath): this.httpService.get(url)
  if (!module && call.receiver && /httpService$/i.test(call.receiver.text) && AXIOS_URL_FIRST.test(call.name)) return url(node, 'HttpService', args[0]);
  if (module === 'superagent' && /^(get|post|put|patch|del|delete|head|options|default)$/.test(member)) return url(node, 'superagent', args[0]);
  if (module === 'undici' && /^(request|stream)$/.test(member)) return url(node, 'undici', args[0]);
  if ((module === 'http' || module === 'https') && (member === 'request' || member === 'get')) {
    const first = args[0] && model.dialect.unwrap(args[0]);
    if (first?.type === 'object') {
      return {
        node,
        client: `${module}.${member}`,
        url: {
          kind: 'parts',
          host: objectProperty(first, 'hostname') ?? objectProperty(first, 'host'),
          port: objectProperty(first, 'port'),
          protocol: objectProperty(first, 'protocol'),
        },
      };
    }
    return url(node, `${module}.${member}`, args[0]);
  }
  return undefined;
}

/** The HTTP call a call or construction makes, with where its URL comes from. */
export function httpCallAt(call: Call, model: FileModel): HttpCall | undefined {
  return model.isJava ? javaHttpCall(call, model) : jsHttpCall(call, model);
}
