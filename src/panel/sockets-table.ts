// The socket table: connections by service port, direction, remote host and state, with counts. Filterable by
// text and state; a row is selectable (click, Enter or Space) to highlight the thread groups linked to it.
import { h } from './dom';
import type { PanelView, SocketRowView } from './view-model';
import { count, plural } from './words';

/** Rows drawn at once: the report keeps up to 1,000, and drawing them all would stall the UI thread. */
export const ROWS_SHOWN = 200;

export interface SocketTableCallbacks {
  toggleRow(key: string): void;
  filterChanged(text: string, state: string): void;
}

export class SocketTable {
  readonly element: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly stateSelect: HTMLSelectElement;
  private readonly shown: HTMLElement;
  private readonly listening: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly table: HTMLTableElement;
  private readonly empty: HTMLElement;
  private readonly more: HTMLButtonElement;
  private rows: readonly SocketRowView[] = [];
  private notInRows = 0;
  private limit = ROWS_SHOWN;
  private selected: string | null = null;
  private linked: ReadonlySet<string> = new Set();

  constructor(private readonly callbacks: SocketTableCallbacks) {
    this.filterInput = h('input', { id: 'socket-filter', class: 'filter-text', attrs: { type: 'search', placeholder: 'port, host, state…', autocomplete: 'off', spellcheck: 'false' } });
    this.stateSelect = h('select', { id: 'socket-state' });
    this.shown = h('p', { class: 'muted table-count', attrs: { 'aria-live': 'polite' } });
    this.listening = h('p', { class: 'listening muted' });
    this.body = h('tbody');
    this.empty = h('p', { class: 'muted', text: 'No sockets in the paste.', attrs: { hidden: true } });
    this.more = h('button', { class: 'secondary show-more', attrs: { type: 'button', hidden: true } });
    this.table = h(
      'table',
      { class: 'socket-table', attrs: { role: 'grid', 'aria-label': 'Sockets by port, remote host and state', 'aria-describedby': 'socket-hint' } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          // A fixed table layout takes the column widths from these cells (see panel.css).
          h('th', { class: 'col-port', text: 'Port', attrs: { scope: 'col' } }),
          h('th', { class: 'col-direction', text: 'Direction', attrs: { scope: 'col' } }),
          h('th', { class: 'col-host', text: 'Remote host', attrs: { scope: 'col' } }),
          h('th', { class: 'col-state', text: 'State', attrs: { scope: 'col' } }),
          h('th', { class: 'col-count num', text: 'Count', attrs: { scope: 'col' } }),
        ),
      ),
      this.body,
    );
    this.element = h(
      'section',
      { class: 'sockets', attrs: { 'aria-labelledby': 'sockets-heading' } },
      h('h2', { id: 'sockets-heading', text: 'Sockets' }),
      this.listening,
      h(
        'div',
        { class: 'filters' },
        h('label', { text: 'Filter', attrs: { for: 'socket-filter' } }),
        this.filterInput,
        h('label', { text: 'State', attrs: { for: 'socket-state' } }),
        this.stateSelect,
      ),
      this.shown,
      this.empty,
      h('div', { class: 'table-wrap' }, this.table),
      this.more,
      h('p', { id: 'socket-hint', class: 'muted hint', text: 'Select a row (click, Enter or Space) to highlight the thread groups linked to it; arrow keys move between rows.' }),
    );

    const filtered = () => {
      this.limit = ROWS_SHOWN;
      this.drawRows();
      callbacks.filterChanged(this.filterInput.value, this.stateSelect.value);
    };
    this.more.addEventListener('click', () => {
      const firstNew = this.body.rows.length;
      this.limit += ROWS_SHOWN;
      this.drawRows();
      this.body.rows[firstNew]?.focus();
    });
    this.filterInput.addEventListener('input', filtered);
    this.stateSelect.addEventListener('change', filtered);
    this.body.addEventListener('click', (event) => {
      const row = (event.target as Element).closest('tr');
      if (row?.dataset.key !== undefined) callbacks.toggleRow(row.dataset.key);
    });
    this.body.addEventListener('keydown', (event) => this.onKey(event));
  }

  render(view: PanelView, filterText: string, filterState: string): void {
    this.rows = view.rows;
    this.notInRows = view.socketsNotInRows;
    this.listening.textContent = view.listening.length > 0 ? `Listening: ${view.listening.join(', ')}` : '';
    this.listening.hidden = view.listening.length === 0;
    const states = [...new Set(view.rows.map((r) => r.state))].sort();
    this.stateSelect.replaceChildren(h('option', { text: 'All states', attrs: { value: '' } }), ...states.map((s) => h('option', { text: s, attrs: { value: s } })));
    this.filterInput.value = filterText;
    this.stateSelect.value = states.includes(filterState) ? filterState : '';
    this.limit = ROWS_SHOWN;
    this.table.hidden = view.rows.length === 0;
    this.empty.hidden = view.rows.length > 0;
    this.drawRows();
  }

  /** Marks the selected row and the rows linked to the selection, drawn now or later. */
  highlight(selected: string | null, linked: ReadonlySet<string>): void {
    this.selected = selected;
    this.linked = linked;
    for (const tr of Array.from(this.body.rows)) this.mark(tr);
  }

  private mark(tr: HTMLTableRowElement): void {
    const key = tr.dataset.key ?? '';
    tr.setAttribute('aria-selected', String(key === this.selected));
    tr.classList.toggle('is-linked', this.linked.has(key));
  }

  private rowElement(row: SocketRowView): HTMLTableRowElement {
    const tr = h(
      'tr',
      {
        class: row.state === 'CLOSE_WAIT' ? 'is-close-wait' : undefined,
        attrs: { tabindex: 0, 'aria-selected': 'false', 'data-key': row.key, 'data-state': row.state, 'data-port': row.port, 'data-remote': row.remoteHost, 'data-count': row.count },
      },
      h('td', { text: row.port }),
      h('td', { class: 'direction', text: row.direction }),
      h('td', { class: 'host', text: row.remoteHost }),
      h('td', { class: 'state', text: row.state }),
      h('td', { class: 'num', text: count(row.count) }),
    );
    if (row.programs !== '') tr.title = row.programs;
    return tr;
  }

  private matches(row: SocketRowView): boolean {
    const needle = this.filterInput.value.trim().toLowerCase();
    const state = this.stateSelect.value;
    if (state !== '' && row.state !== state) return false;
    return needle === '' || `${row.port} ${row.direction} ${row.remoteHost} ${row.state} ${row.programs}`.toLowerCase().includes(needle);
  }

  private drawRows(): void {
    const matching = this.rows.filter((row) => this.matches(row));
    const drawn = matching.slice(0, this.limit).map((row) => this.rowElement(row));
    for (const tr of drawn) this.mark(tr);
    this.body.replaceChildren(...drawn);
    const hiddenMatches = matching.length - drawn.length;
    this.more.hidden = hiddenMatches === 0;
    this.more.textContent = `Show ${count(Math.min(hiddenMatches, ROWS_SHOWN))} more of ${count(hiddenMatches)} rows`;
    const sockets = matching.reduce((n, r) => n + r.count, 0);
    const notListed = this.notInRows > 0 ? ` (${plural(this.notInRows, 'more socket')} in smaller rows not listed)` : '';
    this.shown.textContent =
      this.rows.length === 0 ? '' : `Showing ${count(drawn.length)} of ${plural(this.rows.length, 'row')}${matching.length !== drawn.length ? ` (${count(matching.length)} match)` : ''}, ${plural(sockets, 'socket')}${notListed}`;
  }

  private onKey(event: KeyboardEvent): void {
    const row = (event.target as Element).closest('tr');
    if (row === null || row.dataset.key === undefined) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.callbacks.toggleRow(row.dataset.key);
      return;
    }
    const visible = Array.from(this.body.rows);
    const at = visible.indexOf(row);
    const target =
      event.key === 'ArrowDown' ? visible[at + 1] : event.key === 'ArrowUp' ? visible[at - 1] : event.key === 'Home' ? visible[0] : event.key === 'End' ? visible[visible.length - 1] : undefined;
    if (target !== undefined) {
      event.preventDefault();
      target.focus();
    }
  }
}
