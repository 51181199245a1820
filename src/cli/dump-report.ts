// `closewait dump` text output: an incident report for a terminal, verdicts first, then the socket table and the
// thread groups they rest on. Everything in it that came from the paste (thread and file names, lines, hosts) may
// hold terminal escapes: names are quoted as src/dump/escape.ts does, and every line is made safe before it is printed.
import { count, evidenceText, remoteHostsText, stackExcerpt, summarizeSocketTable, type DumpReport, type VerdictJson } from '../dump/index';
import { quoted, quoteName, safeText } from '../dump/escape';
import { insightLines } from './dump-insights';

const WIDTH = 100;
const TABLE_ROWS = 20;
const GROUPS = 8;
const FRAMES = 10;

export function formatTextReport(report: DumpReport): string {
  const out: string[] = ['CloseWait incident report', ''];
  out.push('Inputs');
  const names = report.inputs.map((i) => quoteName(i.name));
  const nameWidth = names.reduce((width, n) => Math.max(width, n.length), 4);
  report.inputs.forEach((input, i) => {
    // An input with nothing in it: its last warning says why ("empty input"), which is all its label says too.
    const unread = input.threads === 0 && input.sockets === 0 && input.warnings.length > 0;
    const warnings = unread ? input.warnings.slice(0, -1) : input.warnings;
    const label = unread ? (input.warnings.at(-1) ?? input.label) : input.label;
    out.push(`  ${names[i].padEnd(nameWidth)}  ${label}${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`);
  });
  out.push('', 'Verdicts');
  if (report.verdicts.length === 0) out.push('  Nothing stands out: no deadlock, socket leak, pool or port exhaustion, or slow peer was found.');
  report.verdicts.forEach((v, k) => append(out, verdictLines(report, v, k + 1)));
  for (const section of [socketLines(report), threadLines(report), insightLines(report), unparsedLines(report)]) append(out, section);
  return out.map(safeText).join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** Adds lines one by one: a spread of tens of thousands of lines would overflow the call stack. */
function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

function verdictLines(report: DumpReport, v: VerdictJson, n: number): string[] {
  const out = [`  ${n}. ${v.title}  [${v.kind}, confidence ${Math.round(v.confidence * 100)}%]`];
  append(out, wrap(v.summary, '     '));
  append(out, wrap(`Evidence: ${evidenceText(v.evidence)}`, '     '));
  for (const line of v.evidence.lines) {
    const where = `${shortName(report, line.input)}:${line.line}`;
    out.push(`       ${where}  ${line.text.trim()}`.slice(0, WIDTH + 40));
  }
  if (v.frames.length > 0) {
    out.push(`     Code: ${v.frames.map((f) => `${f.class}.${f.method}(${f.file ?? 'Unknown Source'}${f.line !== null ? `:${f.line}` : ''})`).join(', ')}`);
  }
  out.push('');
  return out;
}

function socketLines(report: DumpReport): string[] {
  const s = report.sockets;
  if (s.total === 0) return [];
  const out = ['', `Sockets: ${count(s.total)} TCP`];
  const states = Object.entries(s.byState).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  out.push(`  ${states.map(([state, n]) => `${state} ${count(n ?? 0)}`).join('  ')}`);
  if (s.listening.length > 0) {
    const ports = s.listening.map((l) => `${l.port}${l.pid !== null ? ` (pid ${l.pid}${l.program !== null ? ` ${l.program}` : ''}${l.inferred ? ', inferred' : ''})` : l.inferred ? ' (inferred)' : ''}`);
    append(out, wrap(`Listening: ${ports.join(', ')}`, '  '));
  }
  const rows = summarizeSocketTable(s.table);
  out.push('', `  ${'PORT'.padEnd(7)}${'DIRECTION'.padEnd(11)}${'STATE'.padEnd(13)}${'COUNT'.padStart(7)}  REMOTE HOSTS`);
  for (const row of rows.slice(0, TABLE_ROWS)) {
    out.push(`  ${String(row.port ?? '*').padEnd(7)}${row.direction.padEnd(11)}${row.state.padEnd(13)}${count(row.count).padStart(7)}  ${remoteHostsText(row.remoteHosts)}`.trimEnd());
  }
  if (rows.length > TABLE_ROWS) out.push(`  ... ${count(rows.length - TABLE_ROWS)} more rows (--format json has them all)`);
  return out;
}

function threadLines(report: DumpReport): string[] {
  const t = report.threads;
  if (t.total === 0) return [];
  const dumps = report.dumps.length;
  const out = ['', `Threads: ${count(t.total)} in ${dumps} dump${dumps === 1 ? '' : 's'}`];
  out.push(`  ${Object.entries(t.byState).map(([state, n]) => `${state} ${count(n ?? 0)}`).join('  ')}`);
  if (t.pools.length > 0) {
    out.push('  Pools:');
    for (const p of t.pools.slice(0, 12)) {
      const port = p.port !== null ? `  port ${p.port}` : '';
      out.push(`    ${p.name}${port}: ${p.size} thread${p.size === 1 ? '' : 's'}, ${p.busy} busy (${p.waiting} waiting), ${p.idle} idle${dumps > 1 ? `  [dump ${p.dump + 1}]` : ''}`);
    }
  }
  out.push('  Groups (identical stacks):');
  for (const g of t.groups.slice(0, GROUPS)) {
    const names = g.names.slice(0, 3).map(quoted).join(', ') + (g.count > 3 ? ', ...' : '');
    out.push(`    ${g.count} thread${g.count === 1 ? '' : 's'}  ${g.state}  ${g.activity}${dumps > 1 ? `  [dump ${g.dump + 1}]` : ''}  ${names}`);
    for (const f of stackExcerpt(g.frames, FRAMES)) out.push(typeof f === 'string' ? `        ${f}` : `      ${f.app ? '>' : ' '} at ${f.text}`);
  }
  if (t.groups.length > GROUPS) out.push(`    ... ${count(t.groups.length - GROUPS)} more groups (--format json has them all)`);
  return out;
}

function unparsedLines(report: DumpReport): string[] {
  if (report.unparsed.total === 0) return [];
  const out = ['', `Not understood: ${count(report.unparsed.total)} lines`];
  for (const input of report.unparsed.inputs) {
    out.push(`  ${quoteName(input.name)}: ${count(input.count)} lines, the first:`);
    for (const l of input.sample) out.push(`    ${l.line}: ${l.text}`.slice(0, WIDTH + 40));
  }
  return out;
}

/** The file name without its directories, unless two inputs share it. */
function shortName(report: DumpReport, input: number): string {
  const name = report.inputs[input]?.name ?? `input ${input + 1}`;
  const base = name.slice(name.replace(/\\/g, '/').lastIndexOf('/') + 1);
  return quoteName(report.inputs.filter((i) => i.name.endsWith(base)).length > 1 ? name : base);
}

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let current = indent;
  for (const word of text.split(/\s+/)) {
    if (current.length + word.length + 1 > WIDTH && current.trim() !== '') {
      lines.push(current.trimEnd());
      current = indent;
    }
    current += (current.trim() === '' ? '' : ' ') + word;
  }
  if (current.trim() !== '') lines.push(current.trimEnd());
  return lines;
}
