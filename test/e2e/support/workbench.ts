// Driving the VS Code workbench in code-server the way a user does: the command palette, Quick Open, Go to Line,
// the mouse over a squiggle, and reading what the Problems view and the status bar show.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { CodeServer } from './code-server';
import { repoRoot } from './install';

export const screenshotDir = join(repoRoot, 'build', 'e2e');

/** Debian's Chromium, headless; Playwright never downloads a browser of its own here. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

export interface PollOptions {
  readonly timeout?: number;
  readonly interval?: number;
  /** Says what was awaited, for the error when it never came. */
  readonly message: string;
}

/**
 * Polls `read` until `accept` holds for what it returns, then returns that; throws after `timeout` ms with the last
 * value read. The expect.poll of this suite: a condition waited for, never a fixed sleep.
 */
export async function poll<T>(read: () => Promise<T>, accept: (value: T) => boolean, options: PollOptions): Promise<T> {
  const deadline = Date.now() + (options.timeout ?? 30_000);
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError !== undefined ? `last error: ${String(lastError)}` : `last seen: ${JSON.stringify(last, null, 1)}`;
      throw new Error(`timed out after ${options.timeout ?? 30_000} ms waiting for ${options.message}; ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.interval ?? 250));
  }
}

/** One row of the Problems view: a file, a finding, or a finding's related location. */
export interface ProblemRow {
  readonly kind: 'file' | 'marker' | 'related';
  /** For a file row, its name; for the others, the file of the marker above them. */
  readonly file: string;
  /** The folder a file row shows (relative to the workspace). */
  readonly folder?: string;
  readonly severity?: 'Error' | 'Warning' | 'Info' | 'Hint';
  readonly message: string;
  readonly source?: string;
  readonly code?: string;
  readonly line?: number;
  readonly column?: number;
}

/** A finding as the Problems view shows it. */
export interface Problem {
  readonly file: string;
  readonly severity: string;
  readonly message: string;
  readonly source: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
}

const FILE_ROW = /^(\d+) problems? in file (.+) of folder (.*)$/;
const MARKER_ROW = /^(Error|Warning|Info|Hint): /;

function parseRow(aria: string, text: string, file: string): ProblemRow {
  const fileRow = FILE_ROW.exec(aria);
  if (fileRow) return { kind: 'file', file: fileRow[2], folder: fileRow[3], message: aria };
  const position = /\[Ln (\d+), Col (\d+)\]/.exec(text);
  const severity = MARKER_ROW.exec(aria)?.[1] as ProblemRow['severity'];
  if (!severity) {
    return { kind: 'related', file, message: text.split('\n').slice(-1)[0], line: Number(position?.[1]), column: Number(position?.[2]) };
  }
  // innerText of a marker row: the message, then the source, the code and the position, one a line.
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const at = lines.findIndex((l) => l.startsWith('[Ln '));
  return {
    kind: 'marker',
    file,
    severity,
    message: lines.slice(0, Math.max(1, at - 2)).join(' '),
    source: lines[at - 2],
    code: lines[at - 1],
    line: Number(position?.[1]),
    column: Number(position?.[2]),
  };
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly folder: string,
  ) {}

  /** A fresh browser context (no state from another scenario) with the workbench open on `folder`. */
  static async open(browser: Browser, server: CodeServer, folder: string): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    const workbench = new Workbench(page, context, folder);
    await page.goto(server.folderUrl(folder));
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // The explorer shows the folder once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
    return workbench;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  async screenshot(file: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, file);
    await this.page.screenshot({ path });
    return path;
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens the command palette with `text` typed in it ('>' mode). */
  async palette(text: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${text}`);
  }

  /** A command palette row whose label is exactly `label`. */
  private paletteRow(label: string): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    });
  }

  /**
   * Whether the command palette offers a command labelled `label`. Listed as soon as the row shows; absent only
   * once the filtered list has stayed the same for a second without it (VS Code then offers "similar commands").
   */
  async hasCommand(label: string): Promise<boolean> {
    await this.palette(label);
    const labels = this.quickInput.locator('.quick-input-list .monaco-list-row .label-name');
    let last = '';
    let since = Date.now();
    const found = await poll(
      async () => {
        const now = (await labels.allInnerTexts()).map((l) => l.trim());
        if (now.includes(label)) return 'listed';
        const key = JSON.stringify(now);
        if (key !== last) {
          last = key;
          since = Date.now();
          return undefined;
        }
        return Date.now() - since >= 1_000 ? 'absent' : undefined;
      },
      (state) => state !== undefined,
      { message: `the command palette to settle on '${label}'`, timeout: 15_000, interval: 100 },
    );
    await this.page.keyboard.press('Escape');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
    return found === 'listed';
  }

  /**
   * Waits until the command palette lists `label`. Right after the workbench loads, the extensions' contributed
   * commands may not be registered yet, and an open palette does not pick them up: so each try reopens it.
   */
  async waitForCommand(label: string, timeout = 60_000): Promise<void> {
    await poll(() => this.hasCommand(label), (listed) => listed, { message: `the command palette to list '${label}'`, timeout, interval: 500 });
  }

  /**
   * Runs a command from the command palette by its exact label ("CloseWait: Scan Workspace"). With `asks`, the
   * command opens a quick pick or an input box of its own: the quick input stays on screen.
   */
  async runCommand(label: string, options: { asks?: boolean } = {}): Promise<void> {
    await this.waitForCommand(label);
    await this.palette(label);
    const row = this.paletteRow(label);
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await row.first().click();
    if (!options.asks) await this.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Quick Open (the file picker) → `name`; waits until its editor is the active one. */
  async openFile(name: string): Promise<void> {
    await this.palette('');
    const input = this.quickInput.locator('input.input');
    await input.fill(name);
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) }),
    });
    await row.first().waitFor({ state: 'visible', timeout: 60_000 });
    await row.first().click();
    await this.activeTab(name).waitFor({ timeout: 30_000 });
    await this.editor.locator('.view-lines').waitFor({ timeout: 30_000 });
  }

  /** The active editor tab, if it shows `name`. */
  activeTab(name: string): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: name });
  }

  /** Names on the editor tabs. */
  async tabs(): Promise<string[]> {
    return (await this.page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((t) => t.trim());
  }

  /** The active text editor. */
  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Go to Line/Column (Ctrl+G), which also reveals the line. */
  async goTo(line: number, column?: number): Promise<void> {
    await this.page.keyboard.press('Control+g');
    const input = this.quickInput.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`:${line}${column === undefined ? '' : `:${column}`}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
    await this.cursorAt(line, column);
  }

  /** Waits until the status bar shows the cursor at `line` (and `column`). */
  async cursorAt(line: number, column?: number, timeout = 15_000): Promise<void> {
    const expected = column === undefined ? new RegExp(`^Ln ${line}, Col \\d+`) : new RegExp(`^Ln ${line}, Col ${column}\\b`);
    await poll(() => this.cursorPosition(), (text) => expected.test(text), { message: `the cursor at ${line}${column ? `:${column}` : ''}`, timeout });
  }

  /** "Ln 12, Col 5" from the status bar. */
  async cursorPosition(): Promise<string> {
    const item = this.page.locator('.statusbar-item', { hasText: /^\s*Ln \d+, Col \d+/ });
    return ((await item.count()) > 0 ? await item.first().innerText() : '').trim();
  }

  /** Where the squiggle of the given kind on `line` of the active editor is (the editor must show that line). */
  async squiggle(line: number, kind: 'error' | 'warning' | 'info'): Promise<{ x: number; y: number; width: number; height: number }> {
    const number = this.editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) });
    await number.first().waitFor({ timeout: 15_000 });
    const squiggles = this.editor.locator(`.view-overlays .squiggly-${kind}`);
    const found = await poll(
      async () => {
        const box = await number.first().boundingBox();
        if (!box) return undefined;
        for (const squiggle of await squiggles.all()) {
          const b = await squiggle.boundingBox();
          if (b && b.width > 0 && b.y + b.height / 2 >= box.y && b.y + b.height / 2 <= box.y + box.height) return b;
        }
        return undefined;
      },
      (s) => s !== undefined,
      { message: `a ${kind} squiggle on line ${line}`, timeout: 15_000 },
    );
    if (!found) throw new Error(`no ${kind} squiggle on line ${line}`);
    return found;
  }

  /** Moves the mouse onto the squiggle on `line` (over the text it underlines, as a user does) and waits for the hover. */
  async hoverSquiggle(line: number, kind: 'error' | 'warning' | 'info'): Promise<Locator> {
    const box = await this.squiggle(line, kind);
    await this.page.mouse.move(box.x + box.width / 2 - 20, box.y - 20);
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4, { steps: 5 });
    await this.hover.first().waitFor({ state: 'visible', timeout: 15_000 });
    return this.hover.first();
  }

  /** The editor hover widget, visible. */
  get hover(): Locator {
    return this.page.locator('.monaco-hover:not(.hidden)').filter({ has: this.page.locator('.hover-contents') });
  }

  /** Opens the Problems view, maximised so that its virtual list renders every row. */
  async showProblems(): Promise<void> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: 15_000 });
    }
  }

  /** Maximises (or restores) the panel that holds the Problems view. */
  async maximizePanel(maximized: boolean): Promise<void> {
    // Maximised: the panel takes (nearly) the whole height the editor shared with it.
    const isMaximized = async () => {
      const panel = await this.page.locator('.part.panel').boundingBox();
      const viewport = this.page.viewportSize();
      return !!panel && !!viewport && panel.height > viewport.height * 0.7;
    };
    if ((await isMaximized()) === maximized) return;
    await this.runCommand('View: Toggle Maximized Panel');
    await poll(isMaximized, (m) => m === maximized, { message: `the panel ${maximized ? 'maximised' : 'restored'}`, timeout: 10_000 });
  }

  /** Every row the Problems view shows, in order (all files expanded, as by default). */
  async problemRows(): Promise<ProblemRow[]> {
    await this.showProblems();
    const rows = await this.page
      .locator('.markers-panel .monaco-list-row')
      .evaluateAll((els) => els.map((e) => ({ aria: e.getAttribute('aria-label') ?? '', text: (e as HTMLElement).innerText, index: Number(e.getAttribute('data-index')) })));
    rows.sort((a, b) => a.index - b.index);
    const parsed: ProblemRow[] = [];
    let file = '';
    for (const row of rows) {
      const p = parseRow(row.aria, row.text, file);
      if (p.kind === 'file') file = p.file;
      parsed.push(p);
    }
    return parsed;
  }

  /** The findings the Problems view lists (file rows and related locations left out). */
  async problems(): Promise<Problem[]> {
    return (await this.problemRows())
      .filter((r) => r.kind === 'marker')
      .map((r) => ({
        file: r.file,
        severity: r.severity ?? '',
        message: r.message,
        source: r.source ?? '',
        code: r.code ?? '',
        line: r.line ?? 0,
        column: r.column ?? 0,
      }));
  }

  /** Polls the Problems view until `accept` holds. */
  waitForProblems(accept: (problems: Problem[]) => boolean, message: string, timeout = 30_000): Promise<Problem[]> {
    return poll(() => this.problems(), accept, { message, timeout });
  }

  /** The texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts()).map((t) => t.trim());
  }

  /** The status bar's text. */
  async statusBar(): Promise<string> {
    return this.page.locator('.part.statusbar').innerText();
  }

  /**
   * Starts recording every text that appears in the status bar or in notifications from now on, even briefly (a
   * progress that lasts a second). Returns a function that gives the texts seen so far.
   */
  async recordMessages(): Promise<() => Promise<string[]>> {
    // A string, not a function: the test's TypeScript transform would add helpers the page does not have.
    await this.page.evaluate(`(() => {
      const seen = (window.__closewaitSeen = []);
      const capture = () => {
        for (const el of document.querySelectorAll('.part.statusbar .statusbar-item, .notification-toast .notification-list-item-message')) {
          const text = (el.innerText || '').trim() || el.getAttribute('aria-label') || '';
          if (text && !seen.includes(text)) seen.push(text);
        }
      };
      new MutationObserver(capture).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      capture();
    })()`);
    return () => this.page.evaluate('[...(window.__closewaitSeen || [])]') as Promise<string[]>;
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab no longer shows unsaved changes. */
  async save(name: string): Promise<void> {
    await this.page.keyboard.press('Control+s');
    await poll(
      async () => this.page.locator('.tabs-container .tab.active.dirty', { hasText: name }).count(),
      (n) => n === 0,
      { message: `${name} saved`, timeout: 15_000 },
    );
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
