// The report as Markdown for an incident ticket: verdicts first, then the socket and thread tables they rest on.
// A paste is untrusted: thread, pool, host and file names only reach the page as inline code or escaped text, and
// its lines only inside fences they cannot close (a thread named `<img onerror=...>` stays text in the ticket).
import { codeBlock, codeSpan, markdownText } from './escape';
import { evidenceLabel } from './evidence-words';
import type { DumpReport, FrameJson, VerdictJson } from './report';
import { count, percent, plural, stackExcerpt } from './words';
import { remoteHostsText, summarizeSocketTable } from './table';

const GROUPS_SHOWN = 10;
const TABLE_ROWS_SHOWN = 15;
const FRAMES_SHOWN = 12;

export function reportToMarkdown(report: DumpReport): string {
  const out: string[] = ['# Thread dump and socket analysis', ''];
  if (report.inputs.length > 0) {
    out.push(`**Inputs:** ${report.inputs.map((i) => `${codeSpan(i.name)}: ${markdownText(i.label)}`).join('; ')}`, '');
  }
  out.push('## Verdicts', '');
  if (report.verdicts.length === 0) out.push('Nothing stands out: no deadlock, socket leak, pool or port exhaustion, or slow peer was found.', '');
  report.verdicts.forEach((v, k) => out.push(...verdict(report, v, k + 1)));
  out.push(...sockets(report), ...threads(report), ...insights(report), ...unparsed(report));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function verdict(report: DumpReport, v: VerdictJson, n: number): string[] {
  const out = [
    `### ${n}. ${markdownText(v.title)} (${v.kind}, confidence ${percent(v.confidence)})`,
    '',
    markdownText(v.summary),
    '',
    `_Why it hangs:_ ${markdownText(v.why)}`,
    '',
  ];
  const facts = [...Object.entries(v.evidence.counts).map(([k, value]) => [k, count(value)]), ...Object.entries(v.evidence.details)];
  if (facts.length > 0) out.push('| Evidence | |', '|---|---|', ...facts.map(([k, value]) => `| ${markdownText(evidenceLabel(k))} | ${markdownText(value)} |`), '');
  if (v.evidence.lines.length > 0) {
    const lines = v.evidence.lines.map((l) => `${report.inputs[l.input]?.name ?? `input ${l.input + 1}`}:${l.line}  ${l.text.trim()}`);
    out.push('Decisive lines:', '', ...codeBlock(lines), '');
  }
  if (v.frames.length > 0) {
    out.push(`Code: ${v.frames.map((f) => codeSpan(`${f.class}.${f.method}(${f.file ?? 'Unknown Source'}${f.line !== null ? `:${f.line}` : ''})`)).join(', ')}`, '');
  }
  return out;
}

function sockets(report: DumpReport): string[] {
  const s = report.sockets;
  if (s.total === 0) return [];
  const out = [`## Sockets (${plural(s.total, 'TCP connection')})`, '', '| State | Count |', '|---|---:|'];
  for (const [state, n] of Object.entries(s.byState).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))) out.push(`| ${state} | ${count(n ?? 0)} |`);
  out.push('');
  if (s.listening.length > 0) {
    out.push(`Listening: ${markdownText(s.listening.map((l) => `${l.port}${l.pid !== null ? ` (pid ${l.pid}${l.program !== null ? ` ${l.program}` : ''})` : ''}${l.inferred ? ' (inferred)' : ''}`).join(', '))}`, '');
  }
  const rows = summarizeSocketTable(s.table);
  out.push('| Port | Direction | State | Count | Remote hosts |', '|---:|---|---|---:|---|');
  for (const row of rows.slice(0, TABLE_ROWS_SHOWN)) {
    out.push(`| ${row.port ?? '*'} | ${row.direction} | ${row.state} | ${count(row.count)} | ${markdownText(remoteHostsText(row.remoteHosts))} |`);
  }
  if (rows.length > TABLE_ROWS_SHOWN) out.push(`| | | ${count(rows.length - TABLE_ROWS_SHOWN)} more rows | | |`);
  out.push('');
  return out;
}

function threads(report: DumpReport): string[] {
  const t = report.threads;
  if (t.total === 0) return [];
  const out = [`## Threads (${plural(t.total, 'thread')} in ${plural(report.dumps.length, 'dump')})`, '', '| State | Count |', '|---|---:|'];
  for (const [state, n] of Object.entries(t.byState).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))) out.push(`| ${state} | ${count(n ?? 0)} |`);
  out.push('');
  if (t.pools.length > 0) {
    out.push('| Pool | Port | Threads | Busy | Waiting | Idle |', '|---|---:|---:|---:|---:|---:|');
    for (const p of t.pools) out.push(`| ${markdownText(p.name)} | ${p.port ?? ''} | ${p.size} | ${p.busy} | ${p.waiting} | ${p.idle} |`);
    out.push('');
  }
  out.push('### Thread groups (identical stacks)', '');
  for (const g of t.groups.slice(0, GROUPS_SHOWN)) {
    const names = g.names.slice(0, 3).map((name) => codeSpan(name)).join(', ') + (g.count > 3 ? ', ...' : '');
    out.push(`**${plural(g.count, 'thread')}**, ${g.state} (${g.activity})${report.dumps.length > 1 ? `, dump ${g.dump + 1}` : ''}: ${names}`, '');
    if (g.frames.length > 0) out.push(...codeBlock(stack(g.frames)), '');
  }
  if (t.groups.length > GROUPS_SHOWN) out.push(`${count(t.groups.length - GROUPS_SHOWN)} more groups not shown.`, '');
  return out;
}

function stack(frames: readonly FrameJson[]): string[] {
  return stackExcerpt(frames, FRAMES_SHOWN).map((f) => (typeof f === 'string' ? `  ${f}` : `${f.app ? '>' : ' '} at ${f.text}`));
}

/** Contended locks, top running methods and the over-time view. Thread names and frames come from the paste. */
function insights(report: DumpReport): string[] {
  const out: string[] = [];
  const name = new Map(report.threads.items.map((t) => [t.id, t.name]));
  const names = (ids: readonly string[]): string =>
    ids.slice(0, 3).map((id) => codeSpan(name.get(id) ?? id, true)).join(', ') + (ids.length > 3 ? ', ...' : '');
  const contended = report.locks.filter((l) => l.acquiring.length > 0);
  if (contended.length > 0) {
    out.push('## Contended locks', '', '| Lock | Holder | Taken at | Waiting to acquire |', '|---|---|---|---|');
    for (const l of contended.slice(0, TABLE_ROWS_SHOWN)) {
      const holderName = l.holder !== null ? (name.get(l.holder) ?? l.holder) : l.holderName;
      const holder = holderName !== null ? codeSpan(holderName, true) : '';
      const takenAt = l.heldAt !== null ? codeSpan(l.heldAt.text, true) : '';
      out.push(`| ${codeSpan(`${l.className ?? 'lock'} <${l.address}>`, true)} | ${holder} | ${takenAt} | ${count(l.acquiring.length)}: ${names(l.acquiring)} |`);
    }
    out.push('');
  }
  if (report.topMethods.length > 0) {
    out.push('## Top running methods', '', '| Threads | Method | Called from |', '|---:|---|---|');
    for (const m of report.topMethods) out.push(`| ${m.count} | ${codeSpan(m.frame.text, true)} | ${m.appFrame !== null ? codeSpan(m.appFrame.text, true) : ''} |`);
    out.push('');
  }
  const t = report.overTime;
  if (t !== null) {
    out.push(`## Over time (${plural(t.dumps.length, 'dump')}${t.seconds !== null ? `, ${count(Math.round(t.seconds))} s` : ''})`, '');
    if (t.stuck.length > 0) {
      const stuck = t.stuck.map((x) => `${codeSpan(x.name)} (${x.state}${x.appFrame !== null ? ` at ${codeSpan(x.appFrame.text)}` : ''})`);
      out.push(`Stuck in the same frames in every dump: ${stuck.join(', ')}.`, '');
    }
    if (t.hot.length > 0) out.push(`CPU time used between the first and the last dump: ${t.hot.map((h) => `${codeSpan(h.name)} +${count(Math.round(h.cpuMs))} ms`).join(', ')}.`, '');
    for (const p of t.pools) out.push(`Pool ${codeSpan(p.name)}: busy ${p.busy.map((b) => (b === null ? '-' : String(b))).join(' → ')}.`, '');
  }
  return out;
}

function unparsed(report: DumpReport): string[] {
  if (report.unparsed.total === 0) return [];
  const out = ['## Not understood', ''];
  for (const input of report.unparsed.inputs) {
    out.push(`${plural(input.count, 'line')} of ${codeSpan(input.name)} were not understood, the first:`, '');
    out.push(...codeBlock(input.sample.map((l) => `${l.line}: ${l.text}`)), '');
  }
  return out;
}
