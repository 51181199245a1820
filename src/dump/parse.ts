// One input (a file or a paste) through every parser: Node.js diagnostic reports and thread dumps first, then socket
// listings in what is left, then the lines nobody understood are counted and sampled so the user sees what was skipped.
import type { InputFormat, NodeReport, ParsedInput, Socket, ThreadDump } from './model';
import { NOISE_LINE, UNCLAIMED } from './claims';
import { looksBinary, splitLines } from './text';
import { FrameTable } from './threads/frame';
import { parseHotspotDumps } from './threads/hotspot';
import { looksLikeJcmdJson, parseJcmdJson } from './threads/jcmd-json';
import { looksLikeJavacore, parseJavacore } from './threads/openj9';
import { parseSocketListing } from './sockets/listing';
import { mayHoldNodeReport, parseNodeReports } from './node/report';

const UNPARSED_SAMPLE = 5;

export function parseInput(text: string, index: number, name: string, frames: FrameTable): ParsedInput {
  const result: ParsedInput = {
    index,
    name,
    lines: [],
    dumps: [],
    sockets: [],
    nodeReports: [],
    formats: [],
    ephemeralRange: null,
    unparsed: { count: 0, sample: [] },
    socketFlags: {},
    warnings: [],
  };
  if (text.trim() === '') {
    result.warnings.push('empty input');
    return result;
  }
  if (looksBinary(text)) {
    result.warnings.push('binary data, not a thread dump or socket listing');
    return result;
  }
  const lines = splitLines(text);
  result.lines = lines;
  const claims = new Uint8Array(lines.length);

  if (mayHoldNodeReport(text)) {
    const found = parseNodeReports(lines, claims, index);
    result.nodeReports = found.reports;
    result.warnings.push(...found.warnings);
  }

  const dumps: ThreadDump[] = [];
  if (looksLikeJcmdJson(text)) dumps.push(...parseJcmdJson(text, lines, claims, index, frames));
  if (looksLikeJavacore(text)) dumps.push(...parseJavacore(lines, claims, index, frames));
  const hotspot = parseHotspotDumps(lines, claims, index, frames);
  dumps.push(...hotspot.dumps);
  dumps.sort((a, b) => a.line - b.line);
  result.dumps = dumps;

  const listing = parseSocketListing(lines, claims);
  result.sockets = listing.sockets.map((row): Socket => ({ ...row, id: '', input: index }));
  result.socketFlags = listing.flags;
  result.ephemeralRange = listing.ephemeralRange;

  result.formats = formatsOf(dumps, result.sockets, result.nodeReports);
  for (let i = 0; i < lines.length; i++) {
    if (claims[i] !== UNCLAIMED || lines[i].trim() === '') continue;
    result.unparsed.count++;
    if (result.unparsed.sample.length < UNPARSED_SAMPLE) result.unparsed.sample.push({ line: i + 1, text: lines[i].slice(0, 200) });
  }
  warn(result, hotspot.orphanFrames, claims);
  return result;
}

function formatsOf(dumps: readonly ThreadDump[], sockets: readonly Socket[], reports: readonly NodeReport[]): InputFormat[] {
  const formats = new Set<InputFormat>();
  if (reports.length > 0) formats.add('node-report');
  for (const dump of dumps) formats.add(dump.format);
  for (const socket of sockets) formats.add(socket.format);
  return [...formats];
}

function warn(result: ParsedInput, orphanFrames: number, claims: Uint8Array): void {
  const cut = result.dumps.flatMap((dump) => dump.threads).filter((thread) => thread.truncated).length;
  if (cut > 0) result.warnings.push(`${cut} thread stack${cut === 1 ? ' is' : 's are'} cut short ('...' or a cut-off line)`);
  if (orphanFrames > 0) result.warnings.push(`${orphanFrames} stack frame${orphanFrames === 1 ? '' : 's'} before the first thread header (the paste starts inside a stack)`);
  const understood = claims.some((claim) => claim !== UNCLAIMED && claim !== NOISE_LINE);
  if (!understood) result.warnings.push('no thread dump or socket listing recognised');
}
