// Thread groups (threads with an identical stack), largest first, with collapsible stacks. The user's frames are
// highlighted and open the editor; selecting a group highlights the socket rows linked to it.
import { h } from './dom';
import { stackItem, type OpenFrame } from './frame-links';
import type { GroupView, PanelView, PoolView } from './view-model';
import { count, plural } from './words';

export interface ThreadGroupCallbacks {
  openFrame: OpenFrame;
  toggleGroup(id: string): void;
  expandedChanged(id: string, open: boolean): void;
}

/** Groups open by default: the largest ones are where a hang shows. */
const OPEN_BY_DEFAULT = 3;

export class ThreadGroups {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly pools: HTMLElement;
  private readonly list: HTMLElement;
  private readonly more: HTMLElement;

  constructor(private readonly callbacks: ThreadGroupCallbacks) {
    this.summary = h('p', { class: 'muted' });
    this.pools = h('ul', { class: 'pools', attrs: { 'aria-label': 'Thread pools' } });
    this.list = h('ul', { class: 'groups', attrs: { 'aria-label': 'Thread groups by identical stack' } });
    this.more = h('p', { class: 'muted', attrs: { hidden: true } });
    this.element = h(
      'section',
      { class: 'threads', attrs: { 'aria-labelledby': 'threads-heading' } },
      h('h2', { id: 'threads-heading', text: 'Threads' }),
      this.summary,
      this.pools,
      this.list,
      this.more,
    );
  }

  render(view: PanelView, expanded: Readonly<Record<string, boolean>>): void {
    this.summary.textContent =
      view.threadTotal === 0 ? 'No thread dump in the paste.' : `${plural(view.threadTotal, 'thread')} in ${plural(view.dumpCount, 'dump')}, ${plural(view.groups.length + view.groupsNotShown, 'group')} of identical stacks.`;
    this.pools.replaceChildren(...view.pools.map(poolItem));
    this.pools.hidden = view.pools.length === 0;
    this.list.replaceChildren(...view.groups.map((g, k) => this.groupItem(g, expanded[g.id] ?? k < OPEN_BY_DEFAULT, view.dumpCount > 1)));
    this.more.textContent = view.groupsNotShown > 0 ? `${plural(view.groupsNotShown, 'smaller group')} not shown.` : '';
    this.more.hidden = view.groupsNotShown === 0;
  }

  /** Marks the selected group and the groups linked to the selection. */
  highlight(selected: string | null, linked: ReadonlySet<string>): void {
    for (const item of Array.from(this.list.querySelectorAll<HTMLElement>('li[data-group-id]'))) {
      const id = item.dataset.groupId ?? '';
      item.classList.toggle('is-selected', id === selected);
      item.classList.toggle('is-linked', linked.has(id));
      item.querySelector('.group-select')?.setAttribute('aria-pressed', String(id === selected));
    }
  }

  private groupItem(g: GroupView, open: boolean, manyDumps: boolean): HTMLElement {
    const stackId = `stack-${g.id}`;
    const what = `${plural(g.count, 'thread')}, ${g.state}, ${g.activity}`;
    const toggle = h('button', {
      class: 'toggle',
      attrs: { type: 'button', 'aria-expanded': String(open), 'aria-controls': stackId, 'aria-label': `Stack of ${what}`, 'data-key': `toggle:${g.id}` },
    });
    const names = g.names.slice(0, 3).map((n) => `“${n}”`).join(', ') + (g.count > 3 ? ', …' : '');
    const select = h(
      'button',
      { class: 'group-select', attrs: { type: 'button', 'aria-pressed': 'false', 'data-key': `group:${g.id}` } },
      h('span', { class: 'group-count', text: plural(g.count, 'thread') }),
      ' ',
      h('span', { class: `thread-state state-${g.state.toLowerCase()}`, text: g.state }),
      ' ',
      h('span', { class: 'group-activity', text: g.activity }),
      manyDumps ? h('span', { class: 'muted', text: ` (dump ${g.dump + 1})` }) : null,
      h('span', { class: 'group-names', text: names }),
    );
    const stack = h('ol', { class: 'stack', id: stackId, attrs: { 'aria-label': `Stack of ${what}`, hidden: !open } });
    // Two hundred stacks of sixty frames are thousands of nodes: a closed stack is drawn when first opened.
    const fill = () => {
      if (stack.childElementCount === 0) stack.append(...g.frames.map((line) => stackItem(line, this.callbacks.openFrame)));
    };
    if (open) fill();
    toggle.addEventListener('click', () => {
      const nowOpen = toggle.getAttribute('aria-expanded') !== 'true';
      if (nowOpen) fill();
      toggle.setAttribute('aria-expanded', String(nowOpen));
      stack.hidden = !nowOpen;
      this.callbacks.expandedChanged(g.id, nowOpen);
    });
    select.addEventListener('click', () => this.callbacks.toggleGroup(g.id));
    const head = h('div', { class: 'group-head' }, toggle, select);
    return h('li', { class: 'group', attrs: { 'data-group-id': g.id, 'data-count': g.count, 'data-state': g.state } }, head, stack);
  }
}

function poolItem(p: PoolView): HTMLElement {
  const port = p.port !== null ? ` (port ${p.port})` : '';
  return h(
    'li',
    { attrs: { 'data-pool': p.name } },
    h('span', { class: 'pool-name', text: p.name }),
    `${port}: ${plural(p.size, 'thread')}, ${count(p.busy)} busy (${count(p.waiting)} waiting), ${count(p.idle)} idle`,
  );
}
