// A verdict rule looks at one thread dump (or none) together with the socket listing and names a cause, with the
// evidence for it and an honest confidence.
import type { Frame, JavaThread, PortRange, Socket } from '../model';
import type { Correlation, DumpAnalysis } from '../correlate';
import type { NodeProcess } from '../node/join';
import type { Claims } from './claims';

export type VerdictKind = 'self-call-deadlock' | 'socket-leak' | 'pool-exhaustion' | 'java-deadlock' | 'port-exhaustion' | 'slow-peer' | 'pinned-carrier';

export interface EvidenceLine {
  input: number;
  /** 1-based line in that input. */
  line: number;
  text: string;
}

export interface Evidence {
  counts: Record<string, number>;
  details: Record<string, string>;
  /** The decisive lines of the inputs, as pasted. */
  lines: EvidenceLine[];
}

export interface Finding {
  kind: VerdictKind;
  /** Same cause seen in several dumps of a paste has the same key. */
  key: string;
  title: string;
  /** 0..1, lowered when the decisive evidence is not in the paste. */
  confidence: number;
  summary: string;
  evidence: Evidence;
  threads: JavaThread[];
  /** May be shared with the findings of other dumps: never change it. */
  sockets: readonly Socket[];
  /** Application frames involved, the places to look in the code. */
  frames: Frame[];
}

export interface Thresholds {
  /** CLOSE_WAIT connections of one endpoint before it counts as a leak. */
  closeWait: number;
  /** Threads reading from peers before a slow peer stands out. */
  slowPeerReaders: number;
  /** Threads waiting for a pooled connection before the pool counts as exhausted. */
  leaseWaiters: number;
}

export interface VerdictContext {
  /** The dump under evaluation, or null when the paste holds only a socket listing. */
  analysis: DumpAnalysis | null;
  correlation: Correlation;
  sockets: readonly Socket[];
  /** Node.js diagnostic reports of the paste, joined with the listing. */
  nodeProcesses: readonly NodeProcess[];
  ephemeralRange: PortRange;
  /** Where the ephemeral range came from, for the summary (`net.ipv4.ip_local_port_range`, `the Linux default`). */
  ephemeralRangeSource: string;
  thresholds: Thresholds;
  /** What earlier rules already explained, so later rules do not report the same threads or sockets again. */
  claimed: Claims;
  lineText(input: number, line: number): string;
}

export interface VerdictRule {
  kind: VerdictKind;
  /** Why this cause hangs a server, in two sentences, for a reader who has not met it before. */
  why: string;
  evaluate(context: VerdictContext): Finding[];
}
