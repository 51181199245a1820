// Headless Chromium for the panel tests: Debian's build driven by playwright-core (it never downloads a browser),
// launched once per test file; pages are cheap and made per test.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../helpers';
import type { Harness } from './harness/server';

export const CHROMIUM_PATH = process.env.CLOSEWAIT_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const screenshotDir = join(repoRoot, 'build', 'screenshots');

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install chromium)`);
  for (const bundle of ['panel.js', 'worker.js']) {
    if (!existsSync(join(repoRoot, 'media', bundle))) throw new Error(`media/${bundle} is missing: run npm run build first`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface PanelPage {
  page: Page;
  close(): Promise<void>;
}

/** A fresh browser context (its own sessionStorage, so its own webview state) showing the panel. */
export async function openPanel(browser: Browser, harness: Harness, options: { theme?: string; width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1000, height: options.height ?? 900 } });
  // tsx compiles the tests with esbuild's keepNames, which wraps named functions inside page.evaluate callbacks in
  // a __name(...) helper that exists only in Node: give the page a no-op one.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  pageErrors.set(page, errors);
  await page.goto(harness.pageUrl(options.theme));
  await page.waitForSelector('.panel-head h1');
  return page;
}

const pageErrors = new WeakMap<Page, string[]>();

/** Closes the page's context; fails when the page threw an uncaught error meanwhile. */
export async function closePage(page: Page): Promise<void> {
  const errors = pageErrors.get(page) ?? [];
  await page.context().close();
  if (errors.length > 0) throw new Error(`the panel threw: ${errors.join('; ')}`);
}

/**
 * Pastes text into an input as a user's Ctrl+V does: a paste event carrying the text; when the panel leaves it to
 * the browser, the text is inserted and an input event fires (synthetic events have no default action).
 */
export async function paste(page: Page, slot: 'threads' | 'sockets', text: string): Promise<void> {
  await page.evaluate(
    ([id, pasted]) => {
      const area = document.getElementById(id) as HTMLTextAreaElement;
      area.focus();
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      if (area.dispatchEvent(event)) {
        area.setRangeText(pasted, area.selectionStart, area.selectionEnd, 'end');
        area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste', data: pasted }));
      }
    },
    [`input-${slot}`, text] as const,
  );
}

/** Waits until no analysis runs and the last one finished (its status line says so). */
export async function waitForAnalysis(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const progress = document.querySelector('.progress') as HTMLElement | null;
      const status = document.querySelector('.status')?.textContent ?? '';
      return progress !== null && progress.hidden && /^Analysed /.test(status);
    },
    undefined,
    { timeout, polling: 50 },
  );
}

export interface PostedMessage {
  type: string;
  [key: string]: unknown;
}

export function postedMessages(page: Page): Promise<PostedMessage[]> {
  return page.evaluate(() => (window as unknown as { __harness: { messages: PostedMessage[] } }).__harness.messages);
}

export async function lastMessageOfType(page: Page, type: string): Promise<PostedMessage> {
  await page.waitForFunction((t) => (window as unknown as { __harness: { messages: { type: string }[] } }).__harness.messages.some((m) => m.type === t), type, {
    timeout: 10_000,
  });
  const messages = await postedMessages(page);
  return messages.filter((m) => m.type === type).pop() as PostedMessage;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
