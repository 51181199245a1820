// Verdict cards, most confident first: the cause in plain words, the summary, the evidence numbers, why this
// kind of cause hangs a server, the code to look at, and the decisive lines of the paste.
import { h } from './dom';
import { frameLink, type OpenFrame } from './frame-links';
import type { Fact, VerdictView } from './view-model';
import { percent } from './words';

export interface VerdictCallbacks {
  openFrame: OpenFrame;
  toggleSelection(verdictId: string): void;
}

export function verdictCards(verdicts: readonly VerdictView[], callbacks: VerdictCallbacks): HTMLElement {
  if (verdicts.length === 0) {
    return h('p', { class: 'no-verdict', text: 'Nothing stands out: no deadlock, socket leak, pool or port exhaustion, or slow peer was found.' });
  }
  return h('div', { class: 'verdicts' }, ...verdicts.map((v) => card(v, callbacks)));
}

function card(v: VerdictView, callbacks: VerdictCallbacks): HTMLElement {
  const titleId = `verdict-${v.id}-title`;
  const select = h('button', {
    class: 'secondary verdict-select',
    text: 'Highlight its sockets and threads',
    attrs: { type: 'button', 'aria-pressed': 'false', 'data-key': `verdict:${v.id}`, 'aria-describedby': titleId },
  });
  select.addEventListener('click', () => callbacks.toggleSelection(v.id));
  return h(
    'article',
    { class: 'verdict card', attrs: { 'data-verdict-id': v.id, 'data-kind': v.kind, 'aria-labelledby': titleId } },
    h(
      'header',
      { class: 'verdict-head' },
      h('span', { class: 'badge', text: v.kindWords }),
      h('span', { class: 'confidence', text: `${percent(v.confidence)} sure` }),
      h('meter', { attrs: { min: 0, max: 1, value: v.confidence, 'aria-label': `Confidence ${percent(v.confidence)}` } }),
    ),
    h('h3', { id: titleId, class: 'verdict-title', text: v.title }),
    h('p', { class: 'verdict-summary', text: v.summary }),
    facts('evidence-counts', 'Evidence', v.counts),
    facts('evidence-details', 'Details', v.details),
    h('section', { class: 'why', attrs: { 'aria-label': 'Why' } }, h('h4', { text: 'Why' }), h('p', { text: v.why })),
    v.frames.length > 0
      ? h('p', { class: 'verdict-code' }, h('span', { class: 'muted', text: 'Code: ' }), ...v.frames.flatMap((f, k) => [k > 0 ? ', ' : null, frameLink(f, f.text, callbacks.openFrame)]))
      : null,
    v.lines.length > 0
      ? h(
          'details',
          { class: 'evidence-lines' },
          h('summary', { text: `Decisive lines (${v.lines.length})` }),
          h('pre', {}, ...v.lines.map((l) => h('span', { class: 'evidence-line' }, h('span', { class: 'muted', text: `${l.source}:${l.line}  ` }), l.text, '\n'))),
        )
      : null,
    h('div', { class: 'verdict-actions' }, select),
  );
}

function facts(className: string, label: string, list: readonly Fact[]): HTMLElement | null {
  if (list.length === 0) return null;
  return h(
    'dl',
    { class: `facts ${className}`, attrs: { 'aria-label': label } },
    ...list.map((f) => h('div', { class: 'fact', attrs: { 'data-evidence': f.key } }, h('dt', { text: f.label }), h('dd', { text: f.value }))),
  );
}
