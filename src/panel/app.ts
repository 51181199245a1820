// The panel: two inputs, a debounced analysis in the worker, and the results (verdicts, charts, socket table,
// thread groups) with the selection that links socket rows and thread groups. Talks to the host by typed
// messages only, and keeps its state in VS Code's webview state.
import { AnalysisClient, type AnalysisResult } from './analysis-client';
import { stateChart } from './charts';
import { h } from './dom';
import { InputBox } from './inputs';
import { INPUT_SLOTS, type FrameRef, type HostToPanel, type InputSlot, type NoticeLevel } from './protocol';
import { SocketTable } from './sockets-table';
import { parseState, type PanelState, type Selection } from './state';
import { ThreadGroups } from './thread-groups';
import { Insights } from './insights';
import { verdictCards } from './verdicts';
import type { HostApi } from './vscode-api';
import type { PanelView } from './view-model';
import type { WorkerInput } from './worker-protocol';
import { plural, size } from './words';

/** Typing pauses shorter than this do not start an analysis. */
const ANALYSIS_DELAY_MS = 300;
const SAVE_DELAY_MS = 200;

export class PanelApp {
  private readonly boxes: Record<InputSlot, InputBox>;
  private readonly analysis: AnalysisClient;
  private readonly results: HTMLElement;
  private readonly intro: HTMLElement;
  private readonly verdictList: HTMLElement;
  private readonly charts: HTMLElement;
  private readonly socketTable: SocketTable;
  private readonly threadGroups: ThreadGroups;
  private readonly insights: Insights;
  private readonly progress: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly status: HTMLElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly openFrame: (frame: FrameRef) => void;
  private view: PanelView | null = null;
  private markdown = '';
  private selection: Selection | null;
  private filterText: string;
  private filterState: string;
  private readonly expanded: Record<string, boolean>;
  private analysisTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private progressTimer: ReturnType<typeof setInterval> | undefined;

  constructor(root: HTMLElement, private readonly host: HostApi, workerScriptUrl: string) {
    const saved: PanelState = parseState(host.getState());
    this.selection = saved.selection;
    this.filterText = saved.filterText;
    this.filterState = saved.filterState;
    this.expanded = { ...saved.expanded };

    const box = (slot: InputSlot, title: string, placeholder: string, pastedName: string) =>
      new InputBox({ slot, title, placeholder, pastedName, changed: () => this.inputsChanged(), filesChosen: (files) => void this.readFiles(slot, files) });
    this.boxes = {
      threads: box('threads', 'Thread dump', 'Paste jstack, jcmd Thread.print or kill -3 output…', 'pasted thread dump'),
      sockets: box('sockets', 'Socket listing', 'Paste netstat -tanp, ss -tanp or lsof -i output…', 'pasted socket listing'),
    };

    this.copyButton = h('button', { text: 'Copy report as Markdown', attrs: { type: 'button', disabled: true } });
    this.exportButton = h('button', { class: 'secondary', text: 'Export JSON', attrs: { type: 'button', disabled: true } });
    this.copyButton.addEventListener('click', () => this.host.post({ type: 'copyMarkdown', markdown: this.markdown }));
    this.exportButton.addEventListener('click', () => void this.exportJson());

    this.progressText = h('span', { class: 'progress-text' });
    this.progress = h(
      'div',
      { class: 'progress', attrs: { role: 'progressbar', 'aria-label': 'Analysing', hidden: true } },
      h('div', { class: 'progress-track' }, h('div', { class: 'progress-bar' })),
      this.progressText,
    );
    this.status = h('p', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });

    this.verdictList = h('div', { class: 'verdict-list' });
    this.charts = h('div', { class: 'chart-grid' });
    this.socketTable = new SocketTable({
      toggleRow: (key) => this.toggleSelection({ kind: 'row', key }),
      filterChanged: (text, state) => {
        this.filterText = text;
        this.filterState = state;
        this.saveSoon();
      },
    });
    this.openFrame = (frame: FrameRef) => this.host.post({ type: 'openFrame', ...frame });
    this.threadGroups = new ThreadGroups({
      openFrame: this.openFrame,
      toggleGroup: (id) => this.toggleSelection({ kind: 'group', id }),
      expandedChanged: (id, open) => {
        this.expanded[id] = open;
        this.saveSoon();
      },
    });
    this.insights = new Insights(this.openFrame);
    this.intro = h(
      'p',
      { class: 'intro muted' },
      'Paste a thread dump (jstack, jcmd Thread.print, kill -3 output) and a socket listing (netstat, ss, lsof) above, or one combined paste in either box, or drop the files onto the panel. ',
      'The analysis runs in the background as you paste.',
    );
    this.results = h(
      'main',
      { class: 'results', attrs: { 'aria-label': 'Analysis', 'aria-busy': 'false', hidden: true } },
      h('section', { class: 'verdict-section', attrs: { 'aria-labelledby': 'verdicts-heading' } }, h('h2', { id: 'verdicts-heading', text: 'Verdicts' }), this.verdictList),
      h('section', { class: 'charts', attrs: { 'aria-labelledby': 'charts-heading' } }, h('h2', { id: 'charts-heading', text: 'States' }), this.charts),
      this.insights.element,
      this.socketTable.element,
      this.threadGroups.element,
    );

    root.append(
      h(
        'header',
        { class: 'panel-head' },
        h('h1', { text: 'Analyze Dump' }),
        h('div', { class: 'report-actions', attrs: { role: 'group', 'aria-label': 'Report' } }, this.copyButton, this.exportButton),
      ),
      h('div', { class: 'inputs', attrs: { role: 'group', 'aria-label': 'Inputs' } }, this.boxes.threads.element, this.boxes.sockets.element),
      h('div', { class: 'status-bar' }, this.progress, this.status),
      this.intro,
      this.results,
      h('div', { class: 'drop-overlay', attrs: { 'aria-hidden': 'true' } }, h('p', { text: 'Drop a thread dump or socket listing' })),
    );

    this.analysis = new AnalysisClient(workerScriptUrl, {
      started: (chars) => this.analysisStarted(chars),
      finished: (result) => this.analysisFinished(result),
      failed: (message) => this.analysisFailed(message),
    });
    this.listenForDrops(root.ownerDocument);

    for (const slot of INPUT_SLOTS) this.boxes[slot].restore(saved.inputs[slot]);
    this.runAnalysis();
  }

  receive(message: HostToPanel): void {
    switch (message.type) {
      case 'setInput':
        this.boxes[message.slot].set(message.text, message.name, 'file');
        this.boxes[message.slot].focus();
        break;
      case 'setInputBytes':
        void this.decodeInto(message.slot, message.name, message.bytes);
        break;
      case 'notice':
        this.showStatus(message.text, message.level);
        break;
    }
  }

  // --- analysis ---

  private inputsChanged(): void {
    this.saveSoon();
    clearTimeout(this.analysisTimer);
    this.analysisTimer = setTimeout(() => this.runAnalysis(), ANALYSIS_DELAY_MS);
  }

  private runAnalysis(): void {
    const inputs: WorkerInput[] = INPUT_SLOTS.filter((slot) => this.boxes[slot].value !== '').map((slot) => ({
      slot,
      name: this.boxes[slot].displayName,
      text: this.boxes[slot].value,
    }));
    if (inputs.length === 0) {
      this.analysis.cancel();
      this.stopProgress();
      this.view = null;
      this.markdown = '';
      this.results.hidden = true;
      this.intro.hidden = false;
      this.updateActions();
      for (const slot of INPUT_SLOTS) this.boxes[slot].showDetected(undefined, false);
      this.showStatus('');
      return;
    }
    void this.analysis.analyze(inputs);
  }

  private analysisStarted(chars: number): void {
    const started = performance.now();
    const tick = () => {
      const seconds = Math.floor((performance.now() - started) / 1000);
      const text = `Analysing ${size(chars)}…${seconds > 0 ? ` ${seconds} s` : ''}`;
      this.progressText.textContent = text;
      this.progress.setAttribute('aria-valuetext', text);
    };
    clearInterval(this.progressTimer);
    tick();
    this.progressTimer = setInterval(tick, 500);
    this.progress.hidden = false;
    this.results.setAttribute('aria-busy', 'true');
    for (const slot of INPUT_SLOTS) this.boxes[slot].showDetected(undefined, true);
    this.updateActions();
  }

  private analysisFinished(result: AnalysisResult): void {
    this.stopProgress();
    this.view = result.view;
    this.markdown = result.markdown;
    for (const slot of INPUT_SLOTS) this.boxes[slot].showDetected(result.view.inputs.find((i) => i.slot === slot), false);
    this.render(result.view);
    const what = [result.view.threadTotal > 0 ? plural(result.view.threadTotal, 'thread') : '', result.view.socketTotal > 0 ? plural(result.view.socketTotal, 'socket') : '']
      .filter((s) => s !== '')
      .join(' and ');
    const verdicts = result.view.verdicts.length === 0 ? 'no verdict' : plural(result.view.verdicts.length, 'verdict');
    const took = result.ms < 1000 ? `${result.ms} ms` : `${(result.ms / 1000).toFixed(1)} s`;
    this.showStatus(`Analysed ${what || 'the input'} in ${took}: ${verdicts}.`);
    this.updateActions();
  }

  private analysisFailed(message: string): void {
    this.stopProgress();
    this.updateActions();
    for (const slot of INPUT_SLOTS) this.boxes[slot].showDetected(this.view?.inputs.find((i) => i.slot === slot), false);
    this.showStatus(`The analysis failed: ${message}`, 'error');
    this.host.post({ type: 'log', level: 'error', text: `Analyze Dump: the analysis failed: ${message}` });
  }

  private stopProgress(): void {
    clearInterval(this.progressTimer);
    this.progress.hidden = true;
    this.results.setAttribute('aria-busy', 'false');
  }

  private updateActions(): void {
    const ready = this.view !== null && !this.analysis.busy;
    this.copyButton.disabled = !ready;
    this.exportButton.disabled = !ready;
  }

  private async exportJson(): Promise<void> {
    try {
      const json = await this.analysis.exportJson();
      if (json !== null) this.host.post({ type: 'exportJson', json });
    } catch (error) {
      this.showStatus(`Export failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }

  // --- rendering ---

  private render(view: PanelView): void {
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
    this.intro.hidden = true;
    this.results.hidden = false;
    this.verdictList.replaceChildren(verdictCards(view.verdicts, { openFrame: this.openFrame, toggleSelection: (id) => this.toggleSelection({ kind: 'verdict', id }) }));
    this.charts.replaceChildren(
      stateChart({ id: 'socket-states', title: 'Socket states', unit: 'socket', bars: view.socketStates, highlight: 'CLOSE_WAIT', highlightNote: 'peer closed, we did not' }),
      stateChart({ id: 'thread-states', title: 'Thread states', unit: 'thread', bars: view.threadStates }),
    );
    this.socketTable.render(view, this.filterText, this.filterState);
    this.threadGroups.render(view, this.expanded);
    this.insights.render(view.insights, view.dumpCount > 1);
    if (this.selection !== null && !this.selectionExists(this.selection, view)) this.selection = null;
    this.applySelection(false);
    // Re-rendering replaces the elements: give focus back to the same control when it still exists.
    if (focusKey !== undefined) this.results.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  private selectionExists(selection: Selection, view: PanelView): boolean {
    if (selection.kind === 'row') return view.rows.some((r) => r.key === selection.key);
    if (selection.kind === 'group') return view.groups.some((g) => g.id === selection.id);
    return view.verdicts.some((v) => v.id === selection.id);
  }

  // --- selection and links ---

  private toggleSelection(next: Selection): void {
    const same = this.selection !== null && JSON.stringify(this.selection) === JSON.stringify(next);
    this.selection = same ? null : next;
    this.applySelection(true);
    this.saveSoon();
  }

  private applySelection(announce: boolean): void {
    const view = this.view;
    const selection = view === null ? null : this.selection;
    let rowKeys: readonly string[] = [];
    let groupIds: readonly string[] = [];
    let subject = '';
    if (view !== null && selection?.kind === 'row') {
      const row = view.rows.find((r) => r.key === selection.key);
      groupIds = row?.groupIds ?? [];
      subject = row !== undefined ? `${row.state} ${row.direction} on port ${row.port}, ${row.remoteHost}` : '';
    } else if (view !== null && selection?.kind === 'group') {
      const group = view.groups.find((g) => g.id === selection.id);
      rowKeys = group?.rowKeys ?? [];
      subject = group !== undefined ? `the group of ${plural(group.count, 'thread')}` : '';
    } else if (view !== null && selection?.kind === 'verdict') {
      const verdict = view.verdicts.find((v) => v.id === selection.id);
      rowKeys = verdict?.rowKeys ?? [];
      groupIds = verdict?.groupIds ?? [];
      subject = verdict?.title ?? '';
    }
    this.socketTable.highlight(selection?.kind === 'row' ? selection.key : null, new Set(rowKeys));
    this.threadGroups.highlight(selection?.kind === 'group' ? selection.id : null, new Set(groupIds));
    for (const card of Array.from(this.results.querySelectorAll<HTMLElement>('.verdict'))) {
      const selected = selection?.kind === 'verdict' && card.dataset.verdictId === selection.id;
      card.classList.toggle('is-selected', selected);
      card.querySelector('.verdict-select')?.setAttribute('aria-pressed', String(selected));
    }
    if (!announce || selection === null) return;
    const linked = [selection.kind !== 'row' ? plural(rowKeys.length, 'socket row') : '', selection.kind !== 'group' ? plural(groupIds.length, 'thread group') : '']
      .filter((s) => s !== '')
      .join(' and ');
    this.showStatus(rowKeys.length + groupIds.length === 0 ? `Nothing is linked to ${subject}.` : `Highlighted ${linked} linked to ${subject}.`);
  }

  // --- host, files and drops ---

  private async decodeInto(slot: InputSlot, name: string, bytes: Uint8Array): Promise<void> {
    try {
      this.showStatus(`Reading ${name} (${size(bytes.length)})…`);
      const text = await this.analysis.decode(bytes);
      this.boxes[slot].set(text, name, 'file');
    } catch (error) {
      this.showStatus(`Cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }

  private async readFiles(slot: InputSlot, files: readonly File[]): Promise<void> {
    const names = files.map((f) => f.name).join(' + ');
    try {
      this.showStatus(`Reading ${names}…`);
      const texts: string[] = [];
      // Several files dropped on one input are one combined paste, in the order given.
      for (const file of files) texts.push(await this.analysis.decode(new Uint8Array(await file.arrayBuffer())));
      this.boxes[slot].set(texts.join('\n'), names, 'file');
    } catch (error) {
      this.showStatus(`Cannot read ${names}: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }

  private listenForDrops(doc: Document): void {
    const body = doc.body;
    const accepts = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].some((t) => t === 'Files' || t === 'text/uri-list' || t === 'text/plain');
    doc.addEventListener('dragover', (event) => {
      if (!accepts(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      body.classList.add('is-dragging');
    });
    doc.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) body.classList.remove('is-dragging');
    });
    doc.addEventListener('drop', (event) => {
      body.classList.remove('is-dragging');
      const data = event.dataTransfer;
      if (data === null || !accepts(event)) return;
      event.preventDefault();
      const slot = this.dropSlot(event.target);
      const files = Array.from(data.files);
      if (files.length > 0) {
        void this.readFiles(slot, files);
        return;
      }
      const uris = data
        .getData('text/uri-list')
        .split(/\r?\n/)
        .filter((u) => u !== '' && !u.startsWith('#'));
      if (uris.length > 0) {
        this.host.post({ type: 'readDroppedUris', slot, uris: uris.slice(0, 8) });
        return;
      }
      const text = data.getData('text/plain');
      if (text !== '') this.boxes[slot].set(text, '', 'pasted');
    });
  }

  /** The input dropped on, else the thread dump input while it is empty, else the socket listing input. */
  private dropSlot(target: EventTarget | null): InputSlot {
    const slot = target instanceof Element ? target.closest<HTMLElement>('.input-box')?.dataset.slot : undefined;
    if (slot === 'threads' || slot === 'sockets') return slot;
    return this.boxes.threads.value === '' ? 'threads' : 'sockets';
  }

  // --- status and state ---

  private showStatus(text: string, level: NoticeLevel = 'info'): void {
    this.status.textContent = text;
    this.status.dataset.level = level;
  }

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.host.setState(this.snapshot()), SAVE_DELAY_MS);
  }

  private snapshot(): PanelState {
    const view = this.view;
    // Only the groups of the current result: ids of earlier pastes mean nothing now.
    const expanded = view === null ? this.expanded : Object.fromEntries(Object.entries(this.expanded).filter(([id]) => view.groups.some((g) => g.id === id)));
    return {
      version: 1,
      inputs: { threads: this.boxes.threads.persisted(), sockets: this.boxes.sockets.persisted() },
      selection: this.selection,
      filterText: this.filterText,
      filterState: this.filterState,
      expanded,
    };
  }
}
