// Finds socket listings in a paste, whatever tool printed them and wherever they sit (after a thread dump, between
// prompts, below other sections of `netstat -a`). Every row is recognised on its own, since pastes often lose the
// header; headers and section titles only tell which rows around them are not sockets.
import type { PortRange, Socket, SocketListingFormat } from '../model';
import { NOISE_LINE, SOCKET_LINE, UNCLAIMED, type Claims } from '../claims';
import type { Lines } from '../text';
import { parsePrompt } from '../prompt';
import { parseNetstatRow } from './netstat';
import { parseSsRow } from './ss';
import { ListingValues } from './endpoint';
import { isLsofFileRow, parseLsofRow } from './lsof';
import { parseWindowsRow, windowsExecutable } from './windows';
import { OTHER_ROW, usesNames, type RowResult, type RowTraits, type SocketRow } from './row';
import { parseProcNetRow, PROC_NET_HEADER } from './proc-net';
import { fdListingPid, parseFdRow } from './proc-fd';

/** A row as a socket of the report, its ids and input given once every input is read. */
export type ListedSocket = Socket;

export interface ListingResult {
  sockets: ListedSocket[];
  /** How each listing was produced, as far as its rows tell (`-tonp`). */
  flags: Partial<Record<SocketListingFormat, string>>;
  ephemeralRange: PortRange | null;
}

type RowParser = (t: string, traits: RowTraits, shared: ListingValues) => RowResult;

const ROW_PARSERS: readonly RowParser[] = [parseNetstatRow, parseSsRow, parseWindowsRow, parseLsofRow, parseProcNetRow];
const INTERNET_SECTION = /^Active (?:Multipath )?Internet connections|^Active Connections\s*$/;
const OTHER_SECTION = /^(?:Active|Registered)\s/;
const HEADER = /^(?:Proto\s+Recv-Q|Proto\s+Local Address|Proto\/ID|(?:Netid\s+)?State\s+Recv-Q|COMMAND\s+PID|Socket\s+Flowhash\s+Proto|Tcpcb\s+Proto|Proto\s+Rexmit)/;
const SYSCTL_RANGE = /^net\.ipv4\.ip_local_port_range\s*=\s*(\d+)\s+(\d+)/;
const TERMINAL_WIDTHS: ReadonlySet<number> = new Set([80, 100, 120, 132, 140, 160, 180, 200, 240]);
const TWO_PORTS = /^(\d{1,5})\s+(\d{1,5})$/;
// Separators and titles around listings (`netsh ... show dynamicport` prints both).
const DECORATION = /^(?:-{3,}|={3,}|Protocol \w+ Dynamic Port Range)$/;

export function parseSocketListing(lines: Lines, claims: Claims): ListingResult {
  const sockets: ListedSocket[] = [];
  const traits = new Map<SocketListingFormat, RowTraits>();
  const shared = new ListingValues();
  const seenStates = new Map<SocketListingFormat, Set<string>>();
  const lsofDevices = new Set<string>();
  let otherSection = false;
  let lsofHeader = false;
  let previous: { format: SocketListingFormat; socket: ListedSocket | null } | null = null;
  let rangeFollows = false;
  let range: PortRange | null = null;
  let netshStart: number | null = null;
  // `ls -l /proc/<pid>/fd`: inode -> the pid and fd that hold the socket (undefined pid: not in such a listing).
  let fdPid: number | null | undefined;
  const socketFds = new Map<string, { pid: number | null; fd: string }>();

  for (let i = 0; i < lines.length; i++) {
    if (claims[i] !== UNCLAIMED) continue;
    const raw = lines.at(i);
    const line = i + 1;
    let t = raw.trim();
    if (t === '') continue;
    if (wrapsOnto(lines, claims, i)) {
      t = `${raw}${lines.at(i + 1)}`.trim();
      claims[i++] = SOCKET_LINE;
    }
    const parsed = parseRow(t, traits, shared);
    if (parsed !== null) {
      const { format, row } = parsed;
      claims[i] = SOCKET_LINE;
      otherSection = false;
      if (row === OTHER_ROW) {
        claims[i] = NOISE_LINE;
        previous = { format, socket: null };
        continue;
      }
      const socket = row;
      socket.line = line;
      previous = { format, socket };
      let states = seenStates.get(format);
      if (states === undefined) seenStates.set(format, (states = new Set()));
      states.add(socket.state);
      const formatTraits = traitsOf(traits, format);
      if (!formatTraits.names && usesNames(row)) formatTraits.names = true;
      // lsof lists a socket once per task (TID column) and per process sharing it.
      if (row.device !== null) {
        const key = `${row.device}|${t.slice(t.lastIndexOf(' TCP ') + 5)}`;
        if (lsofDevices.has(key)) continue;
        lsofDevices.add(key);
      }
      sockets.push(socket);
      continue;
    }
    const claim = contextLine(t, raw);
    if (claim !== UNCLAIMED) claims[i] = claim;
  }
  const tied = tieToProcesses(sockets, socketFds);
  const flags = describeFlags(traits, seenStates);
  if (tied.length > 0 && flags['proc-net-tcp'] !== undefined) flags['proc-net-tcp'] += ` + /proc/${tied.join(',')}/fd`;
  return { sockets, flags, ephemeralRange: range };

  function contextLine(t: string, raw: string): number {
    if (PROC_NET_HEADER.test(t)) return NOISE_LINE;
    const listingPid = fdListingPid(t, parsePrompt(t)?.command ?? null);
    if (listingPid !== undefined) {
      fdPid = listingPid;
      previous = null;
      return NOISE_LINE;
    }
    if (fdPid !== undefined) {
      const fd = parseFdRow(t);
      if (fd !== null) {
        if (fd.inode !== null) socketFds.set(fd.inode, { pid: fdPid, fd: fd.fd });
        return NOISE_LINE;
      }
      if (/^total \d+$/.test(t)) return NOISE_LINE;
    }
    if (INTERNET_SECTION.test(t)) {
      otherSection = false;
      return NOISE_LINE;
    }
    if (OTHER_SECTION.test(t)) {
      otherSection = true;
      return NOISE_LINE;
    }
    if (HEADER.test(t)) {
      // Only lsof's header starts a new listing; `Proto Recv-Q ...` also heads BSD's kernel socket sections.
      lsofHeader = t.startsWith('COMMAND');
      if (lsofHeader) otherSection = false;
      return NOISE_LINE;
    }
    const sysctl = SYSCTL_RANGE.exec(t);
    if (sysctl) {
      range = { low: Number(sysctl[1]), high: Number(sysctl[2]) };
      return NOISE_LINE;
    }
    const pair = TWO_PORTS.exec(t);
    if (rangeFollows && pair) {
      range = { low: Number(pair[1]), high: Number(pair[2]) };
      rangeFollows = false;
      return NOISE_LINE;
    }
    if (DECORATION.test(t)) return NOISE_LINE;
    const netsh = /^(Start Port|Number of Ports)\s*:\s*(\d+)$/.exec(t);
    if (netsh) {
      if (netsh[1] === 'Start Port') netshStart = Number(netsh[2]);
      else if (netshStart !== null) range = { low: netshStart, high: netshStart + Number(netsh[2]) - 1 };
      return NOISE_LINE;
    }
    const prompt = parsePrompt(t);
    if (prompt !== null) {
      fdPid = undefined;
      rangeFollows = prompt.command.includes('ip_local_port_range');
      otherSection = false;
      lsofHeader = lsofHeader && /^(?:sudo\s+)?lsof\b/.test(prompt.command);
      previous = null;
      return NOISE_LINE;
    }
    if (otherSection) return NOISE_LINE;
    if (previous?.format === 'netstat-windows' && raw.startsWith(' ')) {
      const exe = windowsExecutable(t);
      if (exe !== null && previous.socket !== null) {
        previous.socket.program = exe;
        traitsOf(traits, 'netstat-windows').extended = true;
      }
      // `-b` also prints the service name or `Can not obtain ownership information` under a row.
      if (exe !== null || !/\s{2,}/.test(t)) return NOISE_LINE;
    }
    // `ss -i`/`-m` continue a row on indented lines (`cubic wscale:7,7 rto:204 ...`).
    if (previous?.format === 'ss' && /^\s/.test(raw) && /\w:\S/.test(t)) return NOISE_LINE;
    if (lsofHeader && isLsofFileRow(t)) return NOISE_LINE;
    return UNCLAIMED;
  }
}

/**
 * A terminal hard-wrapped a long row: the first piece is exactly as wide as a terminal, the next line is no row,
 * header or prompt of its own, and the two together are one TCP row.
 */
function wrapsOnto(lines: Lines, claims: Claims, i: number): boolean {
  const raw = lines.at(i);
  const next = lines.at(i + 1);
  if (!TERMINAL_WIDTHS.has(raw.length) || i + 1 >= lines.length || claims[i + 1] !== UNCLAIMED) return false;
  const tail = next.trim();
  if (tail === '' || INTERNET_SECTION.test(tail) || OTHER_SECTION.test(tail) || HEADER.test(tail) || parsePrompt(tail) !== null) return false;
  const probe = new Map<SocketListingFormat, RowTraits>();
  const values = new ListingValues();
  if (parseRow(tail, probe, values) !== null) return false;
  const joined = parseRow(`${raw}${next}`.trim(), probe, values);
  return joined !== null && joined.row !== OTHER_ROW;
}

function parseRow(t: string, traits: Map<SocketListingFormat, RowTraits>, shared: ListingValues): { format: SocketListingFormat; row: SocketRow | typeof OTHER_ROW } | null {
  for (const parse of ROW_PARSERS) {
    const seen: RowTraits = {};
    const row = parse(t, seen, shared);
    if (row === null) continue;
    const format = row === OTHER_ROW ? formatOfOther(parse) : row.format;
    const known = traitsOf(traits, format);
    for (const key of Object.keys(seen) as (keyof RowTraits)[]) if (seen[key]) known[key] = true;
    return { format, row };
  }
  return null;
}

function traitsOf(traits: Map<SocketListingFormat, RowTraits>, format: SocketListingFormat): RowTraits {
  let known = traits.get(format);
  if (known === undefined) traits.set(format, (known = {}));
  return known;
}

function formatOfOther(parse: RowParser): SocketListingFormat {
  if (parse === parseSsRow) return 'ss';
  if (parse === parseWindowsRow) return 'netstat-windows';
  if (parse === parseLsofRow) return 'lsof';
  if (parse === parseProcNetRow) return 'proc-net-tcp';
  return 'netstat-linux';
}

/** Reconstructs the likely command line options from what the rows show, for labels only. */
function describeFlags(
  traits: Map<SocketListingFormat, RowTraits>,
  states: Map<SocketListingFormat, Set<string>>,
): Partial<Record<SocketListingFormat, string>> {
  const flags: Partial<Record<SocketListingFormat, string>> = {};
  for (const [format, trait] of traits) {
    const seen = states.get(format);
    if (seen === undefined) continue;
    const listen = seen.has('LISTEN');
    const onlyListen = listen && seen.size === 1;
    const scope = onlyListen ? 'l' : listen ? 'a' : '';
    const numeric = trait.names ? '' : 'n';
    switch (format) {
      case 'netstat-linux':
        flags[format] = `-t${trait.udp ? 'u' : ''}${scope}${trait.extended ? 'e' : ''}${trait.timer ? 'o' : ''}${numeric}${trait.process ? 'p' : ''}`;
        break;
      case 'ss':
        flags[format] = `-t${trait.udp ? 'u' : ''}${scope}${numeric}${trait.process ? 'p' : ''}${trait.extended ? 'e' : ''}${trait.timer ? 'o' : ''}`;
        break;
      case 'lsof':
        flags[format] = trait.names ? '-i' : '-nP -i';
        break;
      case 'netstat-bsd': {
        const options = `${listen ? 'a' : ''}${trait.pcb ? 'A' : ''}${trait.bytes ? 'b' : ''}${trait.counters ? 'T' : ''}${trait.verbose ? 'v' : ''}${numeric}`;
        flags[format] = options === '' ? '' : `-${options}`;
        break;
      }
      case 'proc-net-tcp':
        flags[format] = trait.ipv6 ? (trait.ipv4 ? 'tcp + tcp6' : 'tcp6') : 'tcp';
        break;
      case 'netstat-windows':
        flags[format] = `-a${numeric}${trait.process ? 'o' : ''}${trait.extended ? 'b' : ''}`;
        break;
    }
  }
  return flags;
}

/** Sockets whose inode a `/proc/<pid>/fd` listing links: they get that pid and fd. Returns the pids used. */
function tieToProcesses(sockets: ListedSocket[], socketFds: Map<string, { pid: number | null; fd: string }>): number[] {
  const pids = new Set<number>();
  for (const socket of sockets) {
    const owner = socket.inode !== null ? socketFds.get(socket.inode) : undefined;
    if (owner === undefined) continue;
    socket.fd ??= owner.fd;
    if (owner.pid !== null && socket.pid === null) {
      socket.pid = owner.pid;
      pids.add(owner.pid);
    }
  }
  return [...pids];
}
