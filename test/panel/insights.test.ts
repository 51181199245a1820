// The panel's lock table, top running methods, over-time view and the pinned-carrier verdict, in headless
// Chromium. The pastes are dumps of real JVMs (test/fixtures/dumps); expectations are read from their text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../helpers';
import { closePage, lastMessageOfType, launchChromium, openPanel, paste, screenshot, waitForAnalysis } from './browser';
import { startHarness, type Harness } from './harness/server';

const fixtures = join(repoRoot, 'test', 'fixtures', 'dumps');
const threeDumps = readFileSync(join(fixtures, 'over-time', 'jcmd-three-dumps.txt'), 'utf8');
const pinned = readFileSync(join(fixtures, 'formats', 'jdk21-pinned-carriers.txt'), 'utf8');
let harness: Harness;
let browser: Browser;

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

async function panelWith(text: string, body: (page: Page) => Promise<void>): Promise<void> {
  const page = await openPanel(browser, harness, { width: 1100 });
  try {
    await paste(page, 'threads', text);
    await waitForAnalysis(page);
    await body(page);
  } finally {
    await closePage(page);
  }
}

describe('Analyze Dump panel: locks, top methods, several dumps', () => {
  test('the lock table: contended lock first, its holder’s stack one click away, the user’s frames linked', async () => {
    const address = /waiting to lock <(0x[0-9a-f]+)>/.exec(threeDumps)?.[1] ?? '';
    await panelWith(threeDumps, async (page) => {
      const rows = page.locator('.lock-table tr.lock');
      const first = rows.first();
      assert.match((await first.locator('.lock-name').textContent()) ?? '', new RegExp(`<${address}>`));
      assert.ok(await first.evaluate((tr) => tr.classList.contains('is-contended')));
      assert.match((await first.locator('.acquiring').textContent()) ?? '', /^2 “price-reader-1”, “price-reader-2”$/);
      assert.equal(await page.locator('.lock-table tr.is-contended').count(), 3, 'one contended lock per dump');

      const toggle = first.locator('.holder-toggle');
      assert.equal(await toggle.textContent(), '“cache-loader”');
      const stackRow = page.locator('.lock-table .holder-stack-row').first();
      assert.equal(await stackRow.isHidden(), true);
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      const frames = stackRow.locator('.frame');
      const holderBlock = threeDumps.slice(threeDumps.indexOf('"cache-loader"'));
      const holderFrames = (holderBlock.slice(0, holderBlock.indexOf('\n\n')).match(/^\tat /gm) ?? []).length;
      assert.equal(await frames.count(), holderFrames);
      const appFrames = stackRow.locator('.frame.is-app .frame-link');
      assert.deepEqual(await appFrames.allTextContents(), (holderBlock.slice(0, holderBlock.indexOf('\n\n')).match(/^\tat (SlowIncident\.[^\n]+)$/gm) ?? []).map((l) => l.slice(4)));
      await appFrames.first().click();
      const opened = await lastMessageOfType(page, 'openFrame');
      assert.deepEqual([opened.class, opened.method, opened.line], ['SlowIncident', 'checksum', 78]);
      // Where the holder took the lock, linked too.
      assert.equal(await first.locator('.holder .frame-link').textContent(), 'SlowIncident.loadCache(SlowIncident.java:88)');
    });
  });

  test('top running methods and the over-time view: stuck threads, hot threads, a pool filling up', async () => {
    const cpu = (name: string, k: number) => Number(new RegExp(`^"${name}" .*cpu=([\\d.]+)ms`, 'gm').exec(threeDumps.split(/^(?=\$ jcmd)/m)[k])?.[1]);
    await panelWith(threeDumps, async (page) => {
      const method = page.locator('.method-list li').first();
      assert.equal(await method.locator('.method-count').textContent(), '6 threads');
      assert.equal(await method.locator('.frame-link').first().textContent(), 'SlowIncident.checksum(SlowIncident.java:78)');

      assert.equal(await page.locator('.over-time-summary').textContent(), `3 dumps of process ${/^\$ jcmd (\d+)/m.exec(threeDumps)?.[1]} over 24 s.`);
      const stuck = await page.locator('.stuck-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-thread')));
      assert.deepEqual(stuck.sort(), ['cache-loader', 'fetch-1', 'fetch-2', 'price-reader-1', 'price-reader-2', 'report-builder']);
      const fetch = page.locator('.stuck-table tr[data-thread="fetch-1"]');
      assert.equal(await fetch.locator('.frame-link').textContent(), 'SlowIncident.callPeer(SlowIncident.java:66)');
      assert.equal(await fetch.locator('.thread-state').textContent(), 'RUNNABLE');
      const hot = await page.locator('.hot-threads li').first().textContent();
      assert.equal(hot, `“report-builder” +${Math.round(cpu('report-builder', 2) - cpu('report-builder', 0)).toLocaleString('en-US')} ms (20% of one CPU)`);
      assert.equal(await page.locator('.rising-pools li[data-pool="fetch"]').textContent(), 'fetch: busy 2 → 4 → 6');
      await screenshot(page, 'panel-over-time.png');
    });
  });

  test('a single dump shows no over-time view; a pinned-carrier verdict card names the carriers', async () => {
    await panelWith(pinned, async (page) => {
      assert.equal(await page.locator('.over-time').isHidden(), true);
      const card = page.locator('.verdict').first();
      assert.equal(await card.locator('.badge').textContent(), 'Pinned carriers');
      const carriers = (pinned.match(/Carrying virtual thread/g) ?? []).length;
      assert.equal(await card.locator('[data-evidence="pinnedCarriers"] dd').textContent(), String(carriers));
      assert.equal(await card.locator('.verdict-code .frame-link').textContent(), 'InventoryClient.reserve(InventoryClient.java:77)');
      // Its monitors are in the lock table, each held by a carrier with nobody waiting: held, not contended.
      assert.equal(await page.locator('.lock-table tr.is-contended').count(), 0);
    });
  });
});
