// The background worker's first big document is analysed by cold code: the parser's WebAssembly not yet tiered up,
// the rules' JavaScript not yet compiled, each costing about as much again as the analysis itself. So the worker,
// once started, analyses a small made-up Java class and TypeScript module of the shapes real services have (HTTP
// calls, sockets, loops, try/finally) while nothing else is asked of it.
import { analyzeText } from '../analysis/engine';
import type { Rule } from '../analysis/rules/rule';

/** Copies of each method below in the warm-up files: about a thousand lines each. */
const COPIES = 40;
/**
 * Times the files are analysed: V8 compiles the hot code of the parser and the rules with its optimising tiers only
 * after it ran a while (three rounds, about a second of the worker's time, did as much as more, measured).
 */
const ROUNDS = 3;

function javaMethods(k: number): string {
  return `
    public Order load${k}(long id) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(base + "/orders/" + id).openConnection();
        connection.setConnectTimeout(2000);
        try (InputStream in = connection.getInputStream()) {
            return mapper.readValue(in, Order.class);
        } finally {
            connection.disconnect();
        }
    }

    public int total${k}(List<Order> orders) {
        int sum = 0;
        for (Order order : orders) {
            if (order.getAmount() > 0 && !order.isArchived()) sum += order.getAmount();
        }
        return sum;
    }

    public void send${k}(String host, byte[] payload) throws IOException {
        Socket socket = new Socket(host, 9000);
        try {
            socket.getOutputStream().write(payload);
        } finally {
            socket.close();
        }
    }

    public String describe${k}(Order order) {
        switch (order.getStatus()) {
            case OPEN: return "open since " + order.getCreatedAt();
            case CLOSED: return "closed";
            default: return "in state " + order.getStatus();
        }
    }
`;
}

function tsFunctions(k: number): string {
  return `
export async function load${k}(id: string): Promise<Order> {
  const response = await fetch(\`\${base}/orders/\${id}\`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(\`order \${id}: \${response.status}\`);
  return (await response.json()) as Order;
}

export function total${k}(orders: readonly Order[]): number {
  let sum = 0;
  for (const order of orders) {
    if (order.amount > 0 && !order.archived) sum += order.amount;
  }
  return sum;
}

export function send${k}(host: string, payload: Buffer): void {
  const socket = net.connect(9000, host, () => socket.end(payload));
  socket.on('error', () => socket.destroy());
}

export function describe${k}(order: Order): string {
  switch (order.status) {
    case 'open':
      return \`open since \${order.createdAt.toISOString()}\`;
    default:
      return \`in state \${order.status}\`;
  }
}
`;
}

function times(make: (k: number) => string): string {
  return Array.from({ length: COPIES }, (_, k) => make(k)).join('');
}

/** Analyses the warm-up files with `rules` (the findings are of no interest). */
export function warmUp(rules: readonly Rule[]): void {
  const java = `import java.io.*;\nimport java.net.*;\nimport java.util.List;\n\npublic class WarmUp {\n    private String base;\n${times(javaMethods)}}\n`;
  const ts = `import net from 'node:net';\n\nconst base = process.env.BASE_URL;\n${times(tsFunctions)}`;
  for (let round = 0; round < ROUNDS; round++) {
    analyzeText('WarmUp.java', java, { ruleSet: rules });
    analyzeText('warm-up.ts', ts, { ruleSet: rules });
  }
}
