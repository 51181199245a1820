// The panel's sections beside the verdicts: the lock table (contended locks first; the holder's stack one click
// away, the user's frames highlighted and linked to the editor), top running methods, and for several dumps the
// over-time view (threads stuck in the same frames, hot threads, pools filling up).
import { h } from './dom';
import { frameLink, stackItem, type OpenFrame } from './frame-links';
import type { FrameLink } from './view-model';
import type { InsightsView, LockView, OverTimeView, TopMethodView } from './insights-model';
import { count, plural } from './words';

export class Insights {
  readonly element: HTMLElement;
  private readonly locks: HTMLElement;
  private readonly methods: HTMLElement;
  private readonly overTime: HTMLElement;

  constructor(private readonly openFrame: OpenFrame) {
    this.overTime = h('section', { class: 'over-time', attrs: { 'aria-labelledby': 'over-time-heading', hidden: true } });
    this.locks = h('section', { class: 'locks', attrs: { 'aria-labelledby': 'locks-heading', hidden: true } });
    this.methods = h('section', { class: 'top-methods', attrs: { 'aria-labelledby': 'top-methods-heading', hidden: true } });
    this.element = h('div', { class: 'insights' }, this.overTime, this.locks, this.methods);
  }

  render(view: InsightsView, manyDumps: boolean): void {
    this.renderOverTime(view.overTime);
    this.renderLocks(view, manyDumps);
    this.renderMethods(view.topMethods, manyDumps);
  }

  private renderLocks(view: InsightsView, manyDumps: boolean): void {
    this.locks.hidden = view.locks.length === 0;
    if (view.locks.length === 0) return;
    const contended = view.locks.filter((l) => l.acquiring.length > 0).length;
    const rows = view.locks.map((l) => this.lockRows(l, manyDumps));
    this.locks.replaceChildren(
      h('h2', { id: 'locks-heading', text: 'Locks' }),
      h('p', { class: 'muted', text: `${plural(contended, 'contended lock')}, ${plural(view.locks.length - contended, 'lock')} with threads waiting for a notification${view.quietLocks > 0 ? `, ${plural(view.quietLocks, 'more')} held with nobody waiting` : ''}.` }),
      h(
        'table',
        { class: 'lock-table', attrs: { 'aria-label': 'Locks, their holders and waiters' } },
        headerRow(['Lock', 'Holder', 'Waiting to acquire', 'Waiting for notification']),
        h('tbody', {}, ...rows.flat()),
      ),
    );
  }

  /** The lock's row, and a row below it with the holder's stack, shown on demand. */
  private lockRows(lock: LockView, manyDumps: boolean): HTMLElement[] {
    const stackId = `holder-stack-${lock.id}`;
    const holderCell = h('td', { class: 'holder' });
    const stackRow = h('tr', { class: 'holder-stack-row', attrs: { hidden: true, 'aria-label': `Stack of the holder of ${lock.name}` } });
    if (lock.holder !== null) {
      const holder = lock.holder;
      const toggle = h('button', {
        class: 'holder-toggle',
        text: `“${holder.name}”`,
        attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': stackId, title: 'Show the holder’s stack', 'data-key': `holder:${lock.id}` },
      });
      const stack = h('ol', { class: 'stack', id: stackId, attrs: { 'aria-label': `Stack of ${holder.name}` } });
      stackRow.append(h('td', { attrs: { colspan: 4 } }, stack));
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        if (open && stack.childElementCount === 0) stack.append(...holder.stack.map((line) => stackItem(line, this.openFrame)));
        toggle.setAttribute('aria-expanded', String(open));
        stackRow.hidden = !open;
      });
      holderCell.append(toggle, ' ', h('span', { class: `thread-state state-${holder.state.toLowerCase()}`, text: holder.state }));
    } else if (lock.holderName !== null) {
      holderCell.append(h('span', { text: `“${lock.holderName}”` }), h('span', { class: 'muted', text: ' (stack not in the paste)' }));
    } else holderCell.append(h('span', { class: 'muted', text: 'none' }));
    if (lock.heldAt !== null) holderCell.append(h('br'), h('span', { class: 'muted', text: 'took it at ' }), this.link(lock.heldAt));
    const row = h(
      'tr',
      {
        class: lock.acquiring.length > 0 ? 'lock is-contended' : 'lock',
        attrs: { 'data-lock': lock.id, 'data-kind': lock.kind, 'aria-label': `${lock.name}: ${lock.acquiring.length} waiting to acquire, ${lock.waitingForNotification.length} waiting for notification` },
      },
      h('td', { class: 'lock-name' }, h('code', { text: lock.name }), manyDumps ? h('span', { class: 'muted', text: ` (dump ${lock.dump + 1})` }) : null),
      holderCell,
      h('td', { class: 'acquiring' }, waiters(lock.acquiring)),
      h('td', { class: 'notification' }, waiters(lock.waitingForNotification)),
    );
    return [row, stackRow];
  }

  private renderMethods(methods: readonly TopMethodView[], manyDumps: boolean): void {
    this.methods.hidden = methods.length === 0;
    if (methods.length === 0) return;
    this.methods.replaceChildren(
      h('h2', { id: 'top-methods-heading', text: 'Top running methods' }),
      h('p', { class: 'muted', text: 'The top frames of application threads that run code (RUNNABLE, not waiting in a socket or selector).' }),
      h(
        'ol',
        { class: 'method-list' },
        ...methods.map((m) =>
          h(
            'li',
            { attrs: { 'data-count': m.count } },
            h('span', { class: 'method-count', text: plural(m.count, 'thread') }),
            ' ',
            m.link !== null ? this.link(m.link) : h('code', { text: m.text }),
            manyDumps ? h('span', { class: 'muted', text: ` in ${plural(m.dumps, 'dump')}` }) : null,
            m.caller !== null ? h('span', { class: 'muted' }, ', from ', this.link(m.caller)) : null,
          ),
        ),
      ),
    );
  }

  private renderOverTime(view: OverTimeView | null): void {
    this.overTime.hidden = view === null;
    if (view === null) return;
    const stuck =
      view.stuck.length === 0
        ? h('p', { text: 'No thread sits in the same frames in every dump.' })
        : h(
            'table',
            { class: 'stuck-table', attrs: { 'aria-label': 'Threads stuck in the same frames in every dump' } },
            headerRow(['Thread', 'State', 'Doing', 'At']),
            h(
              'tbody',
              {},
              ...view.stuck.map((s) =>
                h(
                  'tr',
                  { attrs: { 'data-thread': s.name, 'aria-label': `${s.name}, ${s.state}, ${s.activity}${s.at !== '' ? `, at ${s.at}` : ''}` } },
                  h('td', { text: s.name }),
                  h('td', {}, h('span', { class: `thread-state state-${s.state.toLowerCase()}`, text: s.state })),
                  h('td', { text: s.activity }),
                  h('td', {}, s.link !== null ? this.link(s.link) : h('code', { text: s.at })),
                ),
              ),
            ),
          );
    const hot = view.hot.length > 0;
    const pools = view.pools.length > 0;
    const parts: (HTMLElement | null)[] = [
      h('h2', { id: 'over-time-heading', text: 'Over time' }),
      h('p', { class: 'muted over-time-summary', text: view.summary }),
      h('h3', { text: `Stuck in every dump (${count(view.stuck.length)})` }),
      stuck,
      hot ? h('h3', { text: 'Hot threads (CPU time between the first and last dump)' }) : null,
      hot
        ? h('ul', { class: 'hot-threads' }, ...view.hot.map((t) => h('li', { attrs: { 'data-thread': t.name } }, h('span', { text: `“${t.name}”` }), ` +${count(Math.round(t.cpuMs))} ms${t.share !== null ? ` (${Math.round(t.share * 100)}% of one CPU)` : ''}`)))
        : null,
      pools ? h('h3', { text: 'Pools filling up' }) : null,
      pools ? h('ul', { class: 'rising-pools' }, ...view.pools.map((p) => h('li', { attrs: { 'data-pool': p.name } }, h('span', { class: 'pool-name', text: p.name }), `: busy ${p.busy}`))) : null,
    ];
    this.overTime.replaceChildren(...parts.filter((e): e is HTMLElement => e !== null));
  }

  private link(f: FrameLink): HTMLElement {
    return frameLink(f, f.text, this.openFrame);
  }
}

function waiters(names: readonly string[]): HTMLElement | string {
  if (names.length === 0) return '';
  const shown = names.slice(0, 4).map((n) => `“${n}”`).join(', ') + (names.length > 4 ? `, ${count(names.length - 4)} more` : '');
  return h('span', {}, h('strong', { text: count(names.length) }), ` ${shown}`);
}

/** Rows of a plain table get no name from their cells: the header row says what it is. */
function headerRow(titles: readonly string[]): HTMLElement {
  return h('thead', {}, h('tr', { attrs: { 'aria-label': 'Column headers' } }, ...titles.map((t) => h('th', { text: t, attrs: { scope: 'col' } }))));
}
