// What `closewait capture <target>` names, and where its commands run: this machine, a Docker container
// (`docker exec`) or a Kubernetes pod (`kubectl exec`). The container CLIs are run as they are, with the user's own
// configuration; we build their command lines and read what they print.

export type Target =
  | { kind: 'pid'; pid: number }
  | { kind: 'name'; pattern: string }
  | { kind: 'docker'; container: string }
  | { kind: 'k8s'; pod: string; container: string | null; namespace: string | null; context: string | null };

export interface TargetOptions {
  namespace?: string | null;
  context?: string | null;
}

/** A target from the command line, or a message saying what is wrong with it. */
export function parseTarget(text: string, options: TargetOptions = {}): Target | string {
  const value = text.trim();
  if (value === '') return 'no target: name a pid, a process name, docker:<container> or k8s:<pod>[/<container>]';
  const docker = /^docker:(.*)$/.exec(value);
  if (docker) {
    if (!/^[A-Za-z0-9][\w.-]*$/.test(docker[1])) return `'${docker[1]}' is not a Docker container name or id`;
    return { kind: 'docker', container: docker[1] };
  }
  const k8s = /^(?:k8s|kubernetes|pod):(.*)$/.exec(value);
  if (k8s) {
    const [pod, container = null, extra] = k8s[1].split('/');
    if (extra !== undefined || !isKubernetesName(pod) || (container !== null && !isKubernetesName(container))) {
      return `'${k8s[1]}' is not <pod> or <pod>/<container>`;
    }
    return { kind: 'k8s', pod, container, namespace: options.namespace ?? null, context: options.context ?? null };
  }
  if (/^\d+$/.test(value)) {
    const pid = Number(value);
    return pid > 0 && Number.isSafeInteger(pid) ? { kind: 'pid', pid } : `'${value}' is not a process id`;
  }
  return { kind: 'name', pattern: value };
}

function isKubernetesName(name: string): boolean {
  return /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(name);
}

export interface Tools {
  /** The docker CLI (closewait.capture.docker); podman works too. */
  docker: string;
  /** The kubectl CLI (closewait.capture.kubectl); oc works too. */
  kubectl: string;
}

export const DEFAULT_TOOLS: Tools = { docker: 'docker', kubectl: 'kubectl' };

/** Where a capture's commands run. */
export interface Place {
  kind: 'local' | 'docker' | 'k8s';
  /** "this machine", "Docker container web-1", "pod api-7d9 (container app) in namespace prod". */
  label: string;
  /** The command line that runs `command` there. */
  argv(command: readonly string[]): string[];
}

export const LOCAL: Place = { kind: 'local', label: 'this machine', argv: (command) => [...command] };

export function dockerPlace(container: string, tools: Tools = DEFAULT_TOOLS): Place {
  return { kind: 'docker', label: `Docker container ${container}`, argv: (command) => [tools.docker, 'exec', container, ...command] };
}

export function k8sPlace(target: Extract<Target, { kind: 'k8s' }>, tools: Tools = DEFAULT_TOOLS): Place {
  const { pod, container, namespace, context } = target;
  const where = [container !== null ? ` (container ${container})` : '', namespace !== null ? ` in namespace ${namespace}` : '', context !== null ? `, context ${context}` : ''].join('');
  return {
    kind: 'k8s',
    label: `pod ${pod}${where}`,
    argv: (command) => [
      tools.kubectl,
      ...(context !== null ? ['--context', context] : []),
      ...(namespace !== null ? ['-n', namespace] : []),
      'exec',
      pod,
      ...(container !== null ? ['-c', container] : []),
      '--',
      ...command,
    ],
  };
}

export function placeOf(target: Target, tools: Tools = DEFAULT_TOOLS): Place {
  if (target.kind === 'docker') return dockerPlace(target.container, tools);
  if (target.kind === 'k8s') return k8sPlace(target, tools);
  return LOCAL;
}

/** A command line as a shell would take it back: words quoted only where needed. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
