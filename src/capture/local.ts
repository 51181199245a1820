// Facts about a process of this machine that decide how it can be captured and, when it cannot, what to run
// instead: whose it is, and whether it runs in a container (another pid or network namespace).
import { readFileSync, readlinkSync } from 'node:fs';
import { userInfo } from 'node:os';

export interface LocalFacts {
  pid: number;
  uid: number | null;
  user: string | null;
  /** False when the process belongs to another user and we are not root. */
  permitted: boolean;
  /** In another pid namespace: a container's process seen from the host. */
  inContainer: boolean;
  /** Its sockets live in another network namespace: ss here does not see them. */
  otherNetwork: boolean;
  /** A Docker/containerd/Kubernetes container id from its cgroup, when one is named there. */
  containerId: string | null;
}

export function localFacts(pid: number, uid: number | null, user: string | null): LocalFacts {
  const me = process.geteuid?.() ?? null;
  const permitted = uid === null || me === null || me === 0 || me === uid;
  const nspid = /^NSpid:\s*(.*)$/m.exec(read(`/proc/${pid}/status`) ?? '')?.[1]?.trim().split(/\s+/) ?? [];
  const net = link(`/proc/${pid}/ns/net`);
  const ownNet = link('/proc/self/ns/net');
  return {
    pid,
    uid,
    user,
    permitted,
    inContainer: nspid.length > 1,
    otherNetwork: net !== null && ownNet !== null && net !== ownNet,
    containerId: containerId(read(`/proc/${pid}/cgroup`) ?? ''),
  };
}

/** `docker-<64 hex>.scope`, `/docker/<id>`, `cri-containerd-<id>`, `/kubepods/.../<id>`: the first 12 characters. */
export function containerId(cgroup: string): string | null {
  const m = /(?:docker|cri-containerd|crio|libpod)[-/]([0-9a-f]{12,64})|\/kubepods[^\n]*\/([0-9a-f]{64})/.exec(cgroup);
  const id = m?.[1] ?? m?.[2];
  return id !== undefined ? id.slice(0, 12) : null;
}

/**
 * What to run instead when attaching to a local process failed, or null when nothing better is known: the tools
 * attach only as the process's own user, and a container's JVM is best reached from inside its container.
 */
export function localAdvice(facts: LocalFacts, command: string): string | null {
  const me = safeUser();
  if (!facts.permitted) {
    const who = facts.user ?? `uid ${facts.uid}`;
    const sudo = `sudo -u ${facts.user ?? `'#${facts.uid}'`}`;
    return `pid ${facts.pid} runs as ${who}${me !== null ? `, not ${me}` : ''}, and the JDK's tools attach only as the JVM's own user: run ${sudo} closewait capture ${facts.pid} (or ${sudo} ${command})`;
  }
  if (facts.inContainer) {
    const id = facts.containerId;
    return `pid ${facts.pid} runs in a container${id !== null ? ` (${id})` : ''}: capture it from inside, closewait capture docker:${id ?? '<container>'} (or k8s:<pod>), which runs jcmd in the container`;
  }
  return null;
}

function safeUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function link(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
