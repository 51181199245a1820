// One input (a file or a paste) through every parser: Node.js diagnostic reports and thread dumps first, then socket
// listings in what is left, then the lines nobody understood are counted and sampled so the user sees what was skipped.
import type { InputFormat, NodeReport, ParsedInput, Socket, ThreadDump } from './model';
import { NOISE_LINE, UNCLAIMED } from './claims';
import { arrayLines, looksBinary, MAX_STRING_CHARS, textChunks, TextLines, type DumpText } from './text';
import { FrameTable } from './threads/frame';
import { parseHotspotDumps } from './threads/hotspot';
import { looksLikeJcmdJson, parseJcmdJson } from './threads/jcmd-json';
import { looksLikeJavacore, parseJavacore } from './threads/openj9';
import { looksLikeActuatorJson, parseActuatorJson } from './threads/actuator-json';
import { parseSocketListing } from './sockets/listing';
import { removeLogPrefixes } from './log-prefix';
import { mayHoldNodeReport, parseNodeReports } from './node/report';

const UNPARSED_SAMPLE = 5;

export function parseInput(text: DumpText, index: number, name: string, frames: FrameTable): ParsedInput {
  const chunks = textChunks(text);
  const result: ParsedInput = {
    index,
    name,
    lines: arrayLines([]),
    dumps: [],
    sockets: [],
    nodeReports: [],
    formats: [],
    ephemeralRange: null,
    unparsed: { count: 0, sample: [] },
    socketFlags: {},
    logPrefix: null,
    warnings: [],
  };
  if (chunks.every((chunk) => chunk.trim() === '')) {
    result.warnings.push('empty input');
    return result;
  }
  if (looksBinary(chunks[0])) {
    result.warnings.push('binary data, not a thread dump or socket listing');
    return result;
  }
  const unprefixed = removeLogPrefixes(new TextLines(chunks));
  const lines = unprefixed.lines;
  result.lines = lines;
  result.logPrefix = unprefixed.kind;
  const claims = new Uint8Array(lines.length);

  if (chunks.some(mayHoldNodeReport)) {
    const found = parseNodeReports(lines, claims, index);
    result.nodeReports = found.reports;
    result.warnings.push(...found.warnings);
  }

  const dumps: ThreadDump[] = [];
  // JSON needs the whole text as one string: a chunked input too large for one is read line by line instead.
  if (looksLikeJcmdJson(chunks[0])) dumps.push(...parseJcmdJson(whole(chunks), lines, claims, index, frames));
  if (looksLikeActuatorJson(chunks[0])) dumps.push(...parseActuatorJson(whole(chunks), lines, claims, index, frames));
  if (looksLikeJavacore(chunks[0])) dumps.push(...parseJavacore(lines, claims, index, frames));
  // Threads with the same stack share one array (the HotSpot parser builds them so; these formats are small).
  for (const dump of dumps) for (const thread of dump.threads) thread.frames = frames.stack(thread.frames);
  const hotspot = parseHotspotDumps(lines, claims, index, frames);
  for (const dump of hotspot.dumps) dumps.push(dump);
  dumps.sort((a, b) => a.line - b.line);
  result.dumps = dumps;
  // A dump printed into a container log is dated by the log when it prints no date of its own.
  for (const dump of dumps) dump.timestamp ??= firstTimestamp(unprefixed.timestamps, dump.line - 1);
  if (unprefixed.sources.length > 1) result.warnings.push(`the lines of ${unprefixed.sources.length} containers are interleaved (${unprefixed.sources.slice(0, 3).join(', ')}): give each container's log on its own`);

  const listing = parseSocketListing(lines, claims);
  for (const socket of listing.sockets) socket.input = index;
  result.sockets = listing.sockets;
  result.socketFlags = listing.flags;
  result.ephemeralRange = listing.ephemeralRange;

  result.formats = formatsOf(dumps, result.sockets, result.nodeReports);
  for (let i = 0; i < lines.length; i++) {
    if (claims[i] !== UNCLAIMED) continue;
    const line = lines.at(i);
    if (line.trim() === '') continue;
    result.unparsed.count++;
    if (result.unparsed.sample.length < UNPARSED_SAMPLE) result.unparsed.sample.push({ line: i + 1, text: line.slice(0, 200) });
  }
  warn(result, hotspot.orphanFrames, claims);
  return result;
}

/** The chunks as one string, or '' when they are too long for one (V8's limit; the JSON parsers then read lines). */
function whole(chunks: readonly string[]): string {
  if (chunks.length === 1) return chunks[0];
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length <= MAX_STRING_CHARS ? chunks.join('') : '';
}

function firstTimestamp(timestamps: readonly (string | null)[], from: number): string | null {
  for (let i = from; i < timestamps.length; i++) if (timestamps[i] !== null) return timestamps[i];
  return null;
}

function formatsOf(dumps: readonly ThreadDump[], sockets: readonly Socket[], reports: readonly NodeReport[]): InputFormat[] {
  const formats = new Set<InputFormat>();
  if (reports.length > 0) formats.add('node-report');
  for (const dump of dumps) formats.add(dump.format);
  for (const socket of sockets) formats.add(socket.format);
  return [...formats];
}

function warn(result: ParsedInput, orphanFrames: number, claims: Uint8Array): void {
  const cutIn = (jmx: boolean): number => {
    let cut = 0;
    for (const dump of result.dumps) if ((dump.format === 'jmx') === jmx) for (const thread of dump.threads) if (thread.truncated) cut++;
    return cut;
  };
  const cut = cutIn(false);
  if (cut > 0) result.warnings.push(`${cut} thread stack${cut === 1 ? ' is' : 's are'} cut short ('...' or a cut-off line)`);
  const cutByJmx = cutIn(true);
  if (cutByJmx > 0) result.warnings.push(`${cutByJmx} thread stack${cutByJmx === 1 ? ' is' : 's are'} cut at 8 frames (ThreadInfo.toString() prints no more)`);
  if (orphanFrames > 0) result.warnings.push(`${orphanFrames} stack frame${orphanFrames === 1 ? '' : 's'} before the first thread header (the paste starts inside a stack)`);
  let understood = false;
  for (let i = 0; i < claims.length && !understood; i++) understood = claims[i] !== UNCLAIMED && claims[i] !== NOISE_LINE;
  if (!understood) result.warnings.push('no thread dump or socket listing recognised');
}
