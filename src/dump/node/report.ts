// Node.js diagnostic reports (`process.report.getReport()`, `node --report-on-signal`, `--report-on-fatalerror`):
// the process id, the JavaScript stack of the main thread and the libuv TCP handles with their endpoints. A report can
// be the whole input or sit in a paste beside a socket listing, pretty-printed (as Node writes it) or on one line
// (as JSON.stringify logs it, after a log prefix). A report cut off by the paste is read as far as it goes, with a
// warning.
import type { Endpoint, NodeReport, TcpHandle } from '../model';
import { NODE_REPORT_LINE, UNCLAIMED, type Claims } from '../claims';
import { linesBetween, type Lines } from '../text';
import { colonEndpoint } from '../sockets/endpoint';

const OPENING = /^\s*\{\s*$/;
const HEADER = /^\s*"header"\s*:\s*\{/;
/** A report on one line, possibly after a log prefix: `2026-... info: report {"header":{...`. */
const ONE_LINE = /\{\s*"header"\s*:\s*\{\s*"reportVersion"/;
const TCP_TYPE = /"type"\s*:\s*"tcp"/g;

export interface NodeReportsFound {
  reports: NodeReport[];
  warnings: string[];
}

/**
 * Cheap test before the line scan: a `"header": {` (pretty or on one line, after any log prefix), then the report's
 * own `"nodejsVersion"` key. The search goes from brace to brace: V8 searches for a word starting with `"` at about
 * 1.4 GB/s in a dump full of quoted thread names (70 ms on 100 MB), for a character thread dumps hardly print at
 * memchr's speed.
 */
export function mayHoldNodeReport(text: string): boolean {
  for (let brace = text.indexOf('{'); brace !== -1; brace = text.indexOf('{', brace + 1)) {
    if (opensHeader(text, brace)) return text.includes('"nodejsVersion"');
  }
  return false;
}

/** The brace at `at` ends `"header"`, spaces, `:`, spaces. */
function opensHeader(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
  if (text.charCodeAt(k) !== 58 /* : */) return false;
  k--;
  while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
  return k >= 7 && text.startsWith('"header"', k - 7);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

export function parseNodeReports(lines: Lines, claims: Claims, input: number): NodeReportsFound {
  const found: NodeReportsFound = { reports: [], warnings: [] };
  for (let i = 0; i < lines.length; i++) {
    if (claims[i] !== UNCLAIMED) continue;
    const column = reportColumn(lines, i);
    if (column < 0) continue;
    const end = closingLine(lines, i, column);
    const last = end ?? lines.length - 1;
    const text = [lines.at(i).slice(column), ...linesBetween(lines, i + 1, last + 1)].join('\n');
    const report = (end !== null ? fromJson(text, i, input) : null) ?? fromFragments(text, i, input);
    if (end === null) found.warnings.push(`the Node.js diagnostic report at line ${i + 1} is cut off: read as far as it goes`);
    found.reports.push(report);
    for (let k = i; k <= last; k++) claims[k] = NODE_REPORT_LINE;
    i = last;
  }
  return found;
}

/** Where a report's opening brace sits on line `i`, or -1 when no report starts there. */
function reportColumn(lines: Lines, i: number): number {
  const oneLine = ONE_LINE.exec(lines.at(i));
  if (oneLine !== null) return oneLine.index;
  if (!OPENING.test(lines.at(i))) return -1;
  for (let k = i + 1; k < lines.length && k <= i + 3; k++) if (lines.at(k).trim() !== '') return HEADER.test(lines.at(k)) ? lines.at(i).indexOf('{') : -1;
  return -1;
}

/** The line holding the brace that closes the report's opening one, or null when the paste ends first. */
function closingLine(lines: Lines, start: number, column: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = start; i < lines.length; i++) {
    const line = lines.at(i);
    for (let c = i === start ? column : 0; c < line.length; c++) {
      const ch = line[c];
      if (inString) {
        if (ch === '\\') c++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return i;
    }
  }
  return null;
}

interface RawEndpoint {
  host?: unknown;
  ip4?: unknown;
  ip6?: unknown;
  port?: unknown;
}

interface RawHandle {
  type?: unknown;
  is_active?: unknown;
  fd?: unknown;
  writeQueueSize?: unknown;
  localEndpoint?: RawEndpoint | null;
  remoteEndpoint?: RawEndpoint | null;
}

function fromJson(text: string, start: number, input: number): NodeReport | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(root) || !isObject(root.header)) return null;
  const header = root.header;
  const stack = isObject(root.javascriptStack) ? root.javascriptStack : {};
  const report = newReport(input, start);
  report.pid = typeof header.processId === 'number' ? header.processId : null;
  report.nodeVersion = typeof header.nodejsVersion === 'string' ? header.nodejsVersion : null;
  report.event = typeof header.event === 'string' ? header.event : null;
  report.time = typeof header.dumpEventTime === 'string' ? header.dumpEventTime : null;
  report.commandLine = Array.isArray(header.commandLine) ? header.commandLine.filter((a): a is string => typeof a === 'string') : [];
  report.jsMessage = typeof stack.message === 'string' && stack.message !== '' ? stack.message : null;
  report.jsStack = Array.isArray(stack.stack) ? stack.stack.filter((f): f is string => typeof f === 'string' && f !== 'Unavailable.').map((f) => f.trim()) : [];
  const lineOf = tcpLines(text, start);
  const raw = Array.isArray(root.libuv) ? (root.libuv as RawHandle[]).filter((h) => isObject(h) && h.type === 'tcp') : [];
  raw.forEach((h, k) => {
    const handle = toHandle(h, lineOf[k] ?? start + 1);
    if (handle !== null) report.handles.push(handle);
  });
  return report;
}

/** A cut-off report: the header fields and the TCP handles whose text is complete, read piece by piece. */
function fromFragments(text: string, start: number, input: number): NodeReport {
  const report = newReport(input, start);
  const pid = /"processId"\s*:\s*(\d+)/.exec(text);
  report.pid = pid ? Number(pid[1]) : null;
  report.nodeVersion = /"nodejsVersion"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? null;
  report.event = /"event"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? null;
  report.time = /"dumpEventTime"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? null;
  const lineOf = tcpLines(text, start);
  const starts = [...text.matchAll(TCP_TYPE)].map((m) => m.index ?? 0);
  starts.forEach((at, k) => {
    const piece = text.slice(at, starts[k + 1] ?? text.length);
    const local = endpointIn(piece, 'localEndpoint');
    const remote = endpointIn(piece, 'remoteEndpoint');
    const active = /"is_active"\s*:\s*(true|false)/.exec(piece);
    if (local === undefined || remote === undefined || active === null) return;
    const handle = toHandle({ type: 'tcp', is_active: active[1] === 'true', fd: numberIn(piece, 'fd'), writeQueueSize: numberIn(piece, 'writeQueueSize'), localEndpoint: local, remoteEndpoint: remote }, lineOf[k]);
    if (handle !== null) report.handles.push(handle);
  });
  return report;
}

function newReport(input: number, start: number): NodeReport {
  return { input, line: start + 1, pid: null, nodeVersion: null, event: null, time: null, commandLine: [], jsStack: [], jsMessage: null, handles: [] };
}

/** 1-based line of each `"type": "tcp"` in order: the handles of the parsed libuv array, one to one. */
function tcpLines(text: string, start: number): number[] {
  const lines: number[] = [];
  let line = start + 1;
  let scanned = 0;
  for (const m of text.matchAll(TCP_TYPE)) {
    const at = m.index ?? 0;
    for (let c = scanned; c < at; c++) if (text.charCodeAt(c) === 10) line++;
    scanned = at;
    lines.push(line);
  }
  return lines;
}

/** `"localEndpoint": {...}` → the object, `null` → null, absent or cut → undefined. */
function endpointIn(piece: string, key: string): RawEndpoint | null | undefined {
  const m = new RegExp(`"${key}"\\s*:\\s*(null|\\{[^{}]*\\})`).exec(piece);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]) as RawEndpoint | null;
  } catch {
    return undefined;
  }
}

function numberIn(piece: string, key: string): number | undefined {
  const m = new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(piece);
  return m ? Number(m[1]) : undefined;
}

function toHandle(raw: RawHandle, line: number): TcpHandle | null {
  const local = toEndpoint(raw.localEndpoint);
  if (local === null) return null;
  return {
    line,
    local,
    remote: toEndpoint(raw.remoteEndpoint),
    active: raw.is_active === true,
    fd: typeof raw.fd === 'number' ? raw.fd : null,
    writeQueueSize: typeof raw.writeQueueSize === 'number' ? raw.writeQueueSize : null,
  };
}

/** libuv names the address under ip4 or ip6 (and a resolved host name): the address is what a listing prints. */
function toEndpoint(raw: RawEndpoint | null | undefined): Endpoint | null {
  if (!isObject(raw) || typeof raw.port !== 'number') return null;
  const address = typeof raw.ip4 === 'string' ? raw.ip4 : typeof raw.ip6 === 'string' ? raw.ip6 : typeof raw.host === 'string' ? raw.host : null;
  return address === null ? null : colonEndpoint(`${address}:${raw.port}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
