// A generated corpus of service code for the scan bench: Java (Spring-style controllers, services, repositories,
// DTOs) and TypeScript (Express routes, services, utilities), ~250 lines a file, with the network code this tool
// cares about sprinkled in as it is in real services: a few files in ten open sockets, call HTTP clients (some
// without timeouts, some leaking a response), or wait on futures. Deterministic: the same seed, the same corpus.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Mulberry32: small, fast, good enough to vary templates. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = ['order', 'invoice', 'customer', 'catalog', 'pricing', 'shipment', 'payment', 'inventory', 'report', 'account', 'session', 'audit'];
const NOUNS = ['Item', 'Line', 'Entry', 'Record', 'Summary', 'Batch', 'Request', 'Result', 'Detail', 'Event', 'Quote', 'Rule'];
const FIELDS = ['id', 'name', 'amount', 'status', 'createdAt', 'updatedAt', 'owner', 'region', 'currency', 'quantity', 'priority', 'version'];

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

class Picker {
  constructor(readonly random: () => number) {}
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
}

// ---- Java ----------------------------------------------------------------------------------------------

function javaAccessors(p: Picker, fields: string[]): string[] {
  return fields.flatMap((f) => {
    const type = p.pick(['String', 'long', 'int', 'BigDecimal', 'Instant']);
    return [
      `    public ${type} get${cap(f)}() {`,
      `        return ${f};`,
      '    }',
      '',
      `    public void set${cap(f)}(${type} ${f}) {`,
      `        this.${f} = ${f};`,
      '    }',
      '',
    ];
  });
}

function javaMethod(p: Picker, noun: string, i: number): string[] {
  const n = `${noun}${i}`;
  switch (p.int(0, 5)) {
    case 0:
      return [
        `    public List<${noun}> filter${n}(List<${noun}> items, String region) {`,
        '        if (items == null || items.isEmpty()) {',
        '            return Collections.emptyList();',
        '        }',
        '        return items.stream()',
        '                .filter(item -> item.getRegion().equals(region))',
        `                .filter(item -> item.getQuantity() > ${p.int(0, 50)})`,
        `                .sorted(Comparator.comparing(${noun}::getCreatedAt))`,
        '                .collect(Collectors.toList());',
        '    }',
        '',
      ];
    case 1:
      return [
        `    public Map<String, BigDecimal> totals${n}(List<${noun}> items) {`,
        '        Map<String, BigDecimal> totals = new HashMap<>();',
        `        for (${noun} item : items) {`,
        '            String key = item.getCurrency() + ":" + item.getRegion();',
        '            BigDecimal current = totals.getOrDefault(key, BigDecimal.ZERO);',
        '            if (item.getStatus() == Status.CANCELLED) {',
        '                continue;',
        '            }',
        '            totals.put(key, current.add(item.getAmount()));',
        '        }',
        `        log.debug("computed {} totals for ${n}", totals.size());`,
        '        return totals;',
        '    }',
        '',
      ];
    case 2:
      return [
        `    public ${noun} load${n}(long id) {`,
        '        try {',
        `            ${noun} found = repository.findById(id).orElseThrow(() -> new NotFoundException("${noun} " + id));`,
        '            validate(found);',
        '            return found;',
        '        } catch (DataAccessException e) {',
        `            log.warn("could not load ${noun} {}", id, e);`,
        `            throw new ServiceException("load failed: " + e.getMessage(), e);`,
        '        }',
        '    }',
        '',
      ];
    case 3:
      return [
        `    public String describe${n}(${noun} value) {`,
        '        StringBuilder out = new StringBuilder();',
        '        switch (value.getStatus()) {',
        '            case OPEN:',
        '                out.append("open since ").append(value.getCreatedAt());',
        '                break;',
        '            case CLOSED:',
        '                out.append("closed at ").append(value.getUpdatedAt());',
        '                break;',
        '            default:',
        '                out.append("in state ").append(value.getStatus().name().toLowerCase());',
        '        }',
        `        if (value.getPriority() > ${p.int(1, 9)}) {`,
        '            out.append(" (urgent)");',
        '        }',
        '        return out.toString();',
        '    }',
        '',
      ];
    case 4:
      return [
        `    @Transactional`,
        `    public void update${n}(long id, ${noun}Request request) {`,
        `        ${noun} entity = repository.findById(id).orElseThrow();`,
        '        if (request.getName() != null && !request.getName().isBlank()) {',
        '            entity.setName(request.getName().trim());',
        '        }',
        '        if (request.getAmount() != null) {',
        '            if (request.getAmount().signum() < 0) {',
        '                throw new IllegalArgumentException("amount must not be negative");',
        '            }',
        '            entity.setAmount(request.getAmount());',
        '        }',
        '        entity.setUpdatedAt(Instant.now());',
        '        repository.save(entity);',
        `        events.publish(new ${noun}Updated(entity.getId(), entity.getVersion()));`,
        '    }',
        '',
      ];
    default:
      return [
        `    private static int score${n}(int[] values, int threshold) {`,
        '        int score = 0;',
        '        for (int i = 0; i < values.length; i++) {',
        '            int v = values[i];',
        '            if (v > threshold) {',
        '                score += v * 2;',
        '            } else if (v < 0) {',
        '                score -= 1;',
        '            } else {',
        '                score += v;',
        '            }',
        '        }',
        `        return Math.max(score, ${p.int(0, 100)});`,
        '    }',
        '',
      ];
  }
}

/** The network code: about one file in eight has one of these, a third of them with a problem to find. */
function javaNetwork(p: Picker, i: number): string[] {
  switch (p.int(0, 6)) {
    case 0:
      return [
        `    public String fetchStatus${i}(String host) throws IOException {`,
        '        HttpURLConnection conn = (HttpURLConnection) new URL("https://" + host + "/status").openConnection();',
        '        conn.setConnectTimeout(2_000);',
        '        conn.setReadTimeout(5_000);',
        '        try (InputStream in = conn.getInputStream()) {',
        '            return new String(in.readAllBytes(), StandardCharsets.UTF_8);',
        '        } finally {',
        '            conn.disconnect();',
        '        }',
        '    }',
        '',
      ];
    case 1:
      return [
        `    public String fetchLegacy${i}(String url) throws IOException {`,
        '        HttpURLConnection conn = (HttpURLConnection) new URL(url).openConnection();',
        '        try (InputStream in = conn.getInputStream()) {',
        '            return new String(in.readAllBytes(), StandardCharsets.UTF_8);',
        '        }',
        '    }',
        '',
      ];
    case 2:
      return [
        `    public String callPartner${i}(HttpGet get) throws IOException {`,
        '        try (CloseableHttpResponse response = httpClient.execute(get)) {',
        '            return EntityUtils.toString(response.getEntity());',
        '        }',
        '    }',
        '',
      ];
    case 3:
      return [
        `    public int probe${i}(HttpGet get) throws IOException {`,
        '        CloseableHttpResponse response = httpClient.execute(get);',
        '        int code = response.getStatusLine().getStatusCode();',
        '        if (code >= 500) {',
        '            throw new IOException("partner down: " + code);',
        '        }',
        '        response.close();',
        '        return code;',
        '    }',
        '',
      ];
    case 4:
      return [
        `    public List<Result> gather${i}(List<Callable<Result>> tasks) throws Exception {`,
        '        List<Result> results = new ArrayList<>();',
        '        for (Future<Result> f : executor.invokeAll(tasks, 10, TimeUnit.SECONDS)) {',
        '            results.add(f.get(1, TimeUnit.SECONDS));',
        '        }',
        '        return results;',
        '    }',
        '',
      ];
    case 5:
      return [
        `    public Result await${i}(Future<Result> future) throws Exception {`,
        '        return future.get();',
        '    }',
        '',
      ];
    default:
      return [
        `    public void ping${i}(String host, int port) throws IOException {`,
        '        try (Socket socket = new Socket()) {',
        '            socket.connect(new InetSocketAddress(host, port), 1_000);',
        '            socket.setSoTimeout(2_000);',
        '            socket.getOutputStream().write(PING);',
        '        }',
        '    }',
        '',
      ];
  }
}

function javaFile(p: Picker, index: number, targetLines: number): string {
  const domain = p.pick(DOMAINS);
  const noun = cap(domain) + p.pick(NOUNS);
  const layer = p.pick(['Service', 'Controller', 'Repository', 'Mapper', 'Validator', 'Client']);
  const name = `${noun}${layer}${index}`;
  const fields = [...new Set(Array.from({ length: p.int(2, 6) }, () => p.pick(FIELDS)))];
  const out = [
    `package com.example.${domain}.${layer.toLowerCase()};`,
    '',
    'import java.io.IOException;',
    'import java.io.InputStream;',
    'import java.math.BigDecimal;',
    'import java.net.*;',
    'import java.nio.charset.StandardCharsets;',
    'import java.time.Instant;',
    'import java.util.*;',
    'import java.util.concurrent.*;',
    'import java.util.stream.Collectors;',
    'import org.apache.http.client.methods.CloseableHttpResponse;',
    'import org.apache.http.client.methods.HttpGet;',
    'import org.apache.http.impl.client.CloseableHttpClient;',
    'import org.apache.http.util.EntityUtils;',
    'import org.slf4j.Logger;',
    'import org.slf4j.LoggerFactory;',
    '',
    `/** ${layer} for ${domain} ${noun.toLowerCase()}s: generated for the scan benchmark. */`,
    layer === 'Controller' ? '@RestController' : '@Component',
    `public class ${name} {`,
    `    private static final Logger log = LoggerFactory.getLogger(${name}.class);`,
    '    private static final byte[] PING = {1, 2, 3};',
    `    private final ${noun}Repository repository;`,
    '    private final EventPublisher events;',
    '    private final ExecutorService executor;',
    '    private final CloseableHttpClient httpClient;',
    ...fields.map((f) => `    private String ${f};`),
    '',
    `    public ${name}(${noun}Repository repository, EventPublisher events, ExecutorService executor, CloseableHttpClient httpClient) {`,
    '        this.repository = repository;',
    '        this.events = events;',
    '        this.executor = executor;',
    '        this.httpClient = httpClient;',
    '    }',
    '',
    ...javaAccessors(p, fields),
  ];
  const network = p.chance(0.125);
  for (let i = 0; out.length < targetLines - 2; i++) {
    out.push(...(network && i === 2 ? javaNetwork(p, i) : javaMethod(p, noun, i)));
  }
  out.push('}', '');
  return out.join('\n');
}

// ---- TypeScript ----------------------------------------------------------------------------------------

function tsFunction(p: Picker, noun: string, i: number): string[] {
  const n = `${noun}${i}`;
  switch (p.int(0, 5)) {
    case 0:
      return [
        `export function summarise${n}(items: readonly ${noun}[]): Map<string, number> {`,
        '  const totals = new Map<string, number>();',
        '  for (const item of items) {',
        "    if (item.status === 'cancelled') continue;",
        '    const key = `${item.currency}:${item.region}`;',
        '    totals.set(key, (totals.get(key) ?? 0) + item.amount);',
        '  }',
        '  return totals;',
        '}',
        '',
      ];
    case 1:
      return [
        `  async load${n}(id: string): Promise<${noun}> {`,
        `    const found = await this.repository.findById(id);`,
        '    if (!found) {',
        `      throw new NotFoundError(\`${noun} \${id} not found\`);`,
        '    }',
        '    this.validate(found);',
        '    return found;',
        '  }',
        '',
      ];
    case 2:
      return [
        `export const top${n} = (items: ${noun}[], limit = ${p.int(3, 20)}): ${noun}[] =>`,
        '  items',
        '    .filter((item) => item.quantity > 0 && !item.archived)',
        '    .sort((a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime())',
        '    .slice(0, limit);',
        '',
      ];
    case 3:
      return [
        `  async update${n}(id: string, patch: Partial<${noun}>): Promise<void> {`,
        '    const entity = await this.repository.findById(id);',
        '    if (!entity) return;',
        "    if (patch.name !== undefined && patch.name.trim() !== '') entity.name = patch.name.trim();",
        '    if (patch.amount !== undefined) {',
        "      if (patch.amount < 0) throw new RangeError('amount must not be negative');",
        '      entity.amount = patch.amount;',
        '    }',
        '    entity.updatedAt = new Date();',
        '    await this.repository.save(entity);',
        "    this.events.emit('updated', { id, version: entity.version });",
        '  }',
        '',
      ];
    case 4:
      return [
        `export function describe${n}(value: ${noun}): string {`,
        '  switch (value.status) {',
        "    case 'open':",
        '      return `open since ${value.createdAt.toISOString()}`;',
        "    case 'closed':",
        '      return `closed at ${value.updatedAt.toISOString()}`;',
        '    default:',
        '      return `in state ${value.status}`;',
        '  }',
        '}',
        '',
      ];
    default:
      return [
        `export function score${n}(values: number[], threshold: number): number {`,
        '  let score = 0;',
        '  for (let i = 0; i < values.length; i++) {',
        '    const v = values[i];',
        '    if (v > threshold) score += v * 2;',
        '    else if (v < 0) score -= 1;',
        '    else score += v;',
        '  }',
        `  return Math.max(score, ${p.int(0, 100)});`,
        '}',
        '',
      ];
  }
}

function tsNetwork(p: Picker, i: number): string[] {
  switch (p.int(0, 5)) {
    case 0:
      return [
        `export async function fetchRates${i}(base: string): Promise<Rates> {`,
        '  const res = await fetch(`${RATES_URL}/latest?base=${base}`, { signal: AbortSignal.timeout(5_000) });',
        "  if (!res.ok) throw new Error(`rates: HTTP ${res.status}`);",
        '  return (await res.json()) as Rates;',
        '}',
        '',
      ];
    case 1:
      return [
        `export async function fetchProfile${i}(id: string): Promise<unknown> {`,
        '  const res = await fetch(`${PROFILE_URL}/users/${id}`);',
        '  return res.json();',
        '}',
        '',
      ];
    case 2:
      return [
        `export async function quote${i}(symbol: string): Promise<number> {`,
        "  const { data } = await axios.get(`${QUOTES_URL}/${symbol}`, { timeout: 3_000 });",
        '  return data.price;',
        '}',
        '',
      ];
    case 3:
      return [
        `export function ping${i}(host: string, port: number): Promise<void> {`,
        '  return new Promise((resolve, reject) => {',
        '    const socket = net.connect({ host, port }, () => {',
        '      socket.end();',
        '      resolve();',
        '    });',
        '    socket.setTimeout(2_000, () => socket.destroy());',
        "    socket.on('error', reject);",
        '  });',
        '}',
        '',
      ];
    case 4:
      return [
        `router.get('/health/${i}', async (req, res) => {`,
        '  const upstream = await fetch(`${INVENTORY_URL}/health`, { signal: AbortSignal.timeout(1_000) });',
        '  res.status(upstream.ok ? 200 : 503).json({ ok: upstream.ok });',
        '});',
        '',
      ];
    default:
      return [
        `export async function download${i}(url: string): Promise<Buffer> {`,
        "  const response = await axios.get(url, { responseType: 'stream', timeout: 10_000 });",
        '  const chunks: Buffer[] = [];',
        '  for await (const chunk of response.data) chunks.push(chunk as Buffer);',
        '  return Buffer.concat(chunks);',
        '}',
        '',
      ];
  }
}

function tsFile(p: Picker, index: number, targetLines: number): string {
  const domain = p.pick(DOMAINS);
  const noun = cap(domain) + p.pick(NOUNS);
  const declared = new Set(['amount', 'currency', 'region', 'quantity', 'priority', 'status', 'createdAt', 'updatedAt', 'version', 'name']);
  const fields = [...new Set(Array.from({ length: p.int(3, 7) }, () => p.pick(FIELDS)))].filter((f) => !declared.has(f));
  const out = [
    "import { Router } from 'express';",
    "import axios from 'axios';",
    "import * as net from 'node:net';",
    "import { EventEmitter } from 'node:events';",
    `import { NotFoundError } from '../errors';`,
    `import type { Repository } from '../db/${domain}-repository';`,
    '',
    `const RATES_URL = process.env.RATES_URL ?? 'https://rates.example.com';`,
    `const PROFILE_URL = process.env.PROFILE_URL ?? 'https://profiles.example.com';`,
    `const QUOTES_URL = process.env.QUOTES_URL ?? 'https://quotes.example.com';`,
    `const INVENTORY_URL = process.env.INVENTORY_URL ?? 'https://inventory.example.com';`,
    'export const router = Router();',
    'type Rates = Record<string, number>;',
    '',
    `/** One ${noun.toLowerCase()} of the ${domain} domain: generated for the scan benchmark. */`,
    `export interface ${noun} {`,
    ...fields.map((f) => `  ${f}: ${p.pick(['string', 'number', 'Date', 'boolean'])};`),
    '  amount: number;',
    '  currency: string;',
    '  region: string;',
    '  quantity: number;',
    '  priority: number;',
    "  status: 'open' | 'closed' | 'cancelled';",
    '  createdAt: Date;',
    '  updatedAt: Date;',
    '  archived?: boolean;',
    '  version: number;',
    '  name: string;',
    '}',
    '',
  ];
  const network = p.chance(0.125);
  const methods: string[] = [];
  const functions: string[] = [];
  for (let i = 0; out.length + methods.length + functions.length < targetLines - 12; i++) {
    if (network && i === 2) functions.push(...tsNetwork(p, i));
    const chunk = tsFunction(p, noun, i);
    // Methods start with two spaces of indentation: they go in the class.
    (chunk[0].startsWith('  ') ? methods : functions).push(...chunk);
  }
  out.push(
    `export class ${noun}Service${index} {`,
    `  constructor(private readonly repository: Repository<${noun}>, private readonly events: EventEmitter) {}`,
    '',
    `  private validate(value: ${noun}): void {`,
    "    if (value.amount < 0) throw new RangeError('negative amount');",
    '  }',
    '',
    ...methods,
    '}',
    '',
    ...functions,
  );
  return out.join('\n');
}

export interface Corpus {
  readonly files: number;
  readonly lines: number;
  readonly bytes: number;
}

/** One generated service file of about `lines` lines (the keystroke bench edits a 5,000-line one). */
export function serviceFile(language: 'java' | 'typescript', lines: number, seed = 8): string {
  const p = new Picker(prng(seed));
  return language === 'java' ? javaFile(p, 0, lines) : tsFile(p, 0, lines);
}

/** Writes `java` Java files and `ts` TypeScript files under `dir` (in a few dozen packages). */
export function writeCorpus(dir: string, java = 2_000, ts = 2_000, seed = 8): Corpus {
  const p = new Picker(prng(seed));
  let lines = 0;
  let bytes = 0;
  const write = (path: string, text: string) => {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    lines += text.split('\n').length - 1;
    bytes += Buffer.byteLength(text);
  };
  // Between 80 and 420 lines, most around 250, as files in service repositories are.
  const size = () => Math.round(80 + 340 * ((p.random() + p.random() + p.random()) / 3));
  for (let i = 0; i < java; i++) write(`java/src/main/java/com/example/m${i % 40}/File${i}.java`, javaFile(p, i, size()));
  for (let i = 0; i < ts; i++) write(`web/src/m${i % 40}/file${i}.ts`, tsFile(p, i, size()));
  return { files: java + ts, lines, bytes };
}

/** Two lines that open a socket and never close it (two findings). */
export const BIG_JAVA_LEAK = '        java.net.Socket socket = new java.net.Socket(host, 7);\n        socket.getInputStream().read();\n';

/** A generated Java class of about `bytes`: methods with loops, strings and calls, every 40th one leaking a socket. */
export function bigJava(bytes: number): string {
  const parts = ['package com.example.generated;\n\nimport java.util.List;\n\npublic class Generated {\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes - 200; i++) {
    const method =
      `    public int method${i}(List<String> items, String host) throws Exception {\n` +
      `        int total = ${i};\n` +
      `        for (String item : items) {\n` +
      `            if (item.startsWith("prefix-${i}")) total += item.length() * ${i % 7};\n` +
      `            else total -= helper${i % 50}(item.trim(), "value-${i}");\n` +
      `        }\n` +
      (i % 40 === 0 ? BIG_JAVA_LEAK : '') +
      `        return total;\n    }\n\n`;
    parts.push(method);
    size += method.length;
  }
  parts.push('}\n');
  return parts.join('');
}
