// Plain words for the panel: verdict kinds, thread activities, evidence keys, sizes.
import type { ActivityKind, VerdictKind } from '../dump/index';

export const VERDICT_KIND_WORDS: Record<VerdictKind, string> = {
  'self-call-deadlock': 'Self-call deadlock',
  'socket-leak': 'Socket leak',
  'pool-exhaustion': 'Pool exhaustion',
  'java-deadlock': 'Java deadlock',
  'port-exhaustion': 'Port exhaustion',
  'slow-peer': 'Slow peer',
  'pinned-carrier': 'Pinned carriers',
};

export const ACTIVITY_WORDS: Record<ActivityKind, string> = {
  idle: 'idle, waiting for work',
  selector: 'waiting for I/O events',
  'socket-read': 'reading from a socket',
  'socket-write': 'writing to a socket',
  'socket-connect': 'connecting',
  'socket-accept': 'accepting connections',
  'lease-wait': 'waiting for a pooled connection',
  'future-wait': 'waiting for a result (future)',
  'lock-wait': 'waiting for a lock',
  'object-wait': 'in Object.wait',
  parked: 'parked',
  sleeping: 'sleeping',
  running: 'running',
  'no-stack': 'no Java stack',
};

export { evidenceLabel } from '../dump/evidence-words';

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count(n)} ${n === 1 ? singular : pluralForm}`;
}

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** `12.3 MB`, `480 KB`, `900 characters`: sizes of pasted text, counted in characters (close enough to bytes). */
export function size(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / 1024 / 1024).toFixed(1)} MB`;
  if (chars >= 10 * 1024) return `${Math.round(chars / 1024)} KB`;
  return plural(chars, 'character');
}
