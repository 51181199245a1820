// Dumps and listings read from container logs carry a prefix on every line: the CRI log format of Kubernetes nodes
// (`2026-11-29T10:00:00.123456789Z stdout F <line>`, with `P` for a line split in parts), `kubectl logs
// --timestamps` and `docker logs --timestamps` (`2026-11-29T10:00:00.123456789Z <line>`), `kubectl logs --prefix`
// (`[pod/web-7d9c/app] <line>`), `docker compose logs` (`web-1  | <line>`) and Docker's json-file driver
// (`{"log":"<line>\n","stream":"stdout","time":"..."}`). The prefix is taken off before any parser runs, keeping
// the line numbers of the file; each line's timestamp is kept to date the dumps found in it.

import { arrayLines, type Lines } from './text';

export type LogPrefixKind = 'cri' | 'timestamps' | 'kubectl-prefix' | 'compose' | 'docker-json';

export interface UnprefixedLines {
  lines: Lines;
  kind: LogPrefixKind | null;
  /** The log timestamp of each line, when the prefix has one. */
  timestamps: (string | null)[];
  /** Containers whose lines are interleaved in the paste (kubectl --prefix, compose), when more than one. */
  sources: string[];
}

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)';
const CRI = new RegExp(`^(${ISO}) (?:stdout|stderr) ([PF]) ?(.*)$`);
const TIMESTAMPS = new RegExp(`^(${ISO}) ?(.*)$`);
const KUBECTL_PREFIX = /^\[((?:pod|deployment|job|statefulset|daemonset|replicaset)\/[^\]\s]+)\] ?(.*)$/;
const COMPOSE = /^([\w.-]+)\s+\| ?(.*)$/;
const DOCKER_JSON = /^\{"log":("[^"\\]*(?:\\.[^"\\]*)*"),"stream":"(?:stdout|stderr)",(?:"attrs":\{[^}]*\},)?"time":"([^"]+)"\}$/;

/** Lines looked at to decide: a prefix must be on most of them. */
const SAMPLE = 200;

export function removeLogPrefixes(lines: Lines): UnprefixedLines {
  const kind = detect(lines);
  if (kind === null) return { lines, kind: null, timestamps: [], sources: [] };
  const out: string[] = [];
  const timestamps: (string | null)[] = [];
  const sources = new Set<string>();
  let partial: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines.at(i);
    const parsed = unprefix(kind, line);
    if (parsed === null) {
      out.push(line);
      timestamps.push(null);
      partial = null;
      continue;
    }
    if (parsed.source !== null) sources.add(parsed.source);
    if (partial !== null) {
      // The rest of a line the runtime split in parts: joined onto the line's start, leaving this line empty.
      out[partial] += parsed.text;
      out.push('');
    } else out.push(parsed.text);
    timestamps.push(parsed.time);
    if (parsed.partial) partial ??= out.length - 1;
    else partial = null;
  }
  return { lines: arrayLines(out), kind, timestamps, sources: sources.size > 1 ? [...sources] : [] };
}

function detect(lines: Lines): LogPrefixKind | null {
  const kinds: LogPrefixKind[] = ['cri', 'docker-json', 'kubectl-prefix', 'compose', 'timestamps'];
  let seen = 0;
  const counts = new Map<LogPrefixKind, number>();
  for (let i = 0; i < lines.length && seen < SAMPLE; i++) {
    const line = lines.at(i);
    if (line.trim() === '') continue;
    seen++;
    for (const kind of kinds) if (unprefix(kind, line) !== null) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  // The most specific prefix that most lines carry (a CRI line also starts with a timestamp).
  for (const kind of kinds) if ((counts.get(kind) ?? 0) * 2 > seen && seen >= 2) return kind;
  return null;
}

interface Unprefixed {
  text: string;
  time: string | null;
  source: string | null;
  partial: boolean;
}

function unprefix(kind: LogPrefixKind, line: string): Unprefixed | null {
  switch (kind) {
    case 'cri': {
      const m = CRI.exec(line);
      return m ? { text: m[3], time: m[1], source: null, partial: m[2] === 'P' } : null;
    }
    case 'timestamps': {
      const m = TIMESTAMPS.exec(line);
      return m ? { text: m[2], time: m[1], source: null, partial: false } : null;
    }
    case 'kubectl-prefix': {
      const m = KUBECTL_PREFIX.exec(line);
      return m ? withInnerTimestamp(m[2], m[1]) : null;
    }
    case 'compose': {
      const m = COMPOSE.exec(line);
      return m ? withInnerTimestamp(m[2], m[1]) : null;
    }
    case 'docker-json': {
      const m = DOCKER_JSON.exec(line);
      if (!m) return null;
      let text: string;
      try {
        text = JSON.parse(m[1]) as string;
      } catch {
        return null;
      }
      // Docker ends every complete line with \n; a line without one was split (16 KB parts).
      const complete = text.endsWith('\n');
      return { text: complete ? text.slice(0, -1).replace(/\r$/, '') : text, time: m[2], source: null, partial: !complete };
    }
  }
}

/** `kubectl logs --prefix --timestamps` and `docker compose logs -t` put the timestamp after the source. */
function withInnerTimestamp(text: string, source: string): Unprefixed {
  const m = TIMESTAMPS.exec(text);
  return m ? { text: m[2], time: m[1], source, partial: false } : { text, time: null, source, partial: false };
}
