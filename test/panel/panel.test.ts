// The Analyze Dump panel in a real browser: the built media/panel.js, media/panel.css and media/worker.js in
// headless Chromium, in a page that stands in for the webview (test/panel/harness). Expectations come from the
// incident files themselves (test/panel/incident.ts counts their lines), not from running the analysis.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { analyzeDump, isApplicationFrame, reportToMarkdown, type DumpReport } from '../../src/dump/index';
import { closePage, lastMessageOfType, launchChromium, openPanel, paste, screenshot, waitForAnalysis } from './browser';
import { startHarness, type Harness } from './harness/server';
import { incidentFacts } from './incident';

const facts = incidentFacts();
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

/** A panel showing the analysed incident: jstack.txt in the thread dump input, netstat.txt + lsof.txt in the other. */
async function incidentPanel(options: { theme?: string; width?: number } = {}): Promise<Page> {
  const page = await openPanel(browser, harness, options);
  await paste(page, 'threads', facts.jstack);
  await paste(page, 'sockets', facts.listings);
  await waitForAnalysis(page);
  // On a loaded machine the first paste may be analysed alone before the second arrives: wait for the socket chart
  // that only the analysis of both inputs draws.
  await page.locator('.chart-bar.is-highlight').first().waitFor({ state: 'attached', timeout: 20_000 });
  await waitForAnalysis(page);
  return page;
}

async function withPage(make: () => Promise<Page>, body: (page: Page) => Promise<void>): Promise<void> {
  const page = await make();
  try {
    await body(page);
  } finally {
    await closePage(page);
  }
}

const closeWaitTotal = facts.socketStates.get('CLOSE_WAIT') ?? 0;
const expectedTitle = `Self-call deadlock on port ${facts.port}`;
const topAppFrame = facts.appFrames[0];

function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

describe('Analyze Dump panel in Chromium', () => {
  test('the incident: labels, the verdict card, charts, socket table and thread groups', async () => {
    assert.ok(closeWaitTotal > 0 && topAppFrame !== undefined, 'the incident files hold CLOSE_WAIT rows and an application frame');
    await withPage(incidentPanel, async (page) => {
      // Inputs labelled as detected.
      const labels = await page.locator('.detected').allTextContents();
      assert.equal(labels[0], `Detected: jstack, ${facts.threadNames.length} thread${facts.threadNames.length === 1 ? '' : 's'}`);
      assert.equal(labels[1], `Detected: ${facts.netstatCommand}, ${facts.netstatRows} sockets + lsof -i, ${facts.lsofRows} sockets`);

      // The verdict card comes first among the results and says it in plain words.
      const card = page.locator('.verdict').first();
      assert.equal(await card.locator('.verdict-title').textContent(), expectedTitle);
      assert.equal(await card.locator('.badge').textContent(), 'Self-call deadlock');
      assert.equal(await card.locator('[data-evidence="closeWait"] dd').textContent(), String(closeWaitTotal));
      assert.equal(await card.locator('[data-evidence="pool"] dd').textContent(), facts.pool);
      assert.equal(await card.locator('[data-evidence="port"] dd').textContent(), String(facts.port));
      const summary = (await card.locator('.verdict-summary').textContent()) ?? '';
      assert.ok(summary.includes(`${topAppFrame.file}:${topAppFrame.line}`), summary);
      assert.ok(summary.includes(`${closeWaitTotal} connections on port ${facts.port} are in CLOSE_WAIT`), summary);
      const why = (await card.locator('.why p').textContent()) ?? '';
      assert.match(why, /CLOSE_WAIT/);
      assert.equal(why.split(/(?<=\.)\s+/).length, 2, 'the Why section is two sentences');
      assert.equal(await card.locator('.verdict-code .frame-link').textContent(), `SearchManager.search(${topAppFrame.file}:${topAppFrame.line})`);
      const firstResult = await page.evaluate(() => document.querySelector('.results section h2')?.textContent);
      assert.equal(firstResult, 'Verdicts');

      // Charts: a bar per state with its count; CLOSE_WAIT set apart in its own colour.
      const socketBars = await page.$$eval('[data-chart="socket-states"] .chart-bar', (bars) =>
        bars.map((b) => ({ state: b.getAttribute('data-state'), count: Number(b.getAttribute('data-count')), highlight: b.classList.contains('is-highlight'), fill: getComputedStyle(b).fill, width: b.getBoundingClientRect().width })),
      );
      assert.deepEqual(new Map(socketBars.map((b) => [b.state, b.count])), facts.socketStates);
      const closeWaitBar = socketBars.find((b) => b.state === 'CLOSE_WAIT');
      const establishedBar = socketBars.find((b) => b.state === 'ESTABLISHED');
      assert.ok(closeWaitBar?.highlight && !establishedBar?.highlight);
      assert.notEqual(closeWaitBar?.fill, establishedBar?.fill);
      const ratio = (establishedBar?.width ?? 0) / (closeWaitBar?.width ?? 1);
      const expectedRatio = (facts.socketStates.get('ESTABLISHED') ?? 0) / closeWaitTotal;
      assert.ok(Math.abs(ratio - expectedRatio) < 0.02, `bar widths follow the counts: ${ratio} vs ${expectedRatio}`);
      const threadBars = await page.$$eval('[data-chart="thread-states"] .chart-bar', (bars) => bars.map((b) => [b.getAttribute('data-state'), Number(b.getAttribute('data-count'))] as const));
      assert.deepEqual(new Map(threadBars), facts.threadStates);
      assert.match((await page.getAttribute('[data-chart="socket-states"]', 'aria-labelledby')) ?? '', /title/);

      // The socket table: one row per remote host and state, counts as in the listings.
      const rows = await page.$$eval('.socket-table tbody tr', (trs) =>
        trs.map((tr) => ({ port: tr.getAttribute('data-port'), host: tr.getAttribute('data-remote'), state: tr.getAttribute('data-state'), count: Number(tr.querySelector('td.num')?.textContent) })),
      );
      const closeWaitRows = new Map(rows.filter((r) => r.state === 'CLOSE_WAIT').map((r) => [r.host, r.count]));
      assert.deepEqual(closeWaitRows, facts.closeWaitByRemoteHost);
      assert.ok(rows.every((r) => r.port === String(facts.port)));
      assert.equal(
        rows.reduce((n, r) => n + r.count, 0),
        facts.netstatRows + facts.lsofRows,
      );

      // Thread groups: the user's frames highlighted, the JDK's not.
      const group = page.locator('.group').first();
      assert.match((await group.locator('.group-count').textContent()) ?? '', new RegExp(`^${facts.threadNames.length} thread`));
      assert.match((await group.locator('.group-names').textContent()) ?? '', new RegExp(facts.threadNames[0]));
      const frames = await group.locator('.frame').evaluateAll((items) => items.map((li) => ({ text: li.textContent?.replace(/^at /, ''), app: li.classList.contains('is-app'), link: li.querySelector('.frame-link') !== null })));
      const highlighted = frames.filter((f) => f.app).map((f) => f.text);
      assert.deepEqual(highlighted, facts.appFrames.map((f) => f.text));
      for (const frame of frames) {
        const className = (frame.text ?? '').replace(/\.[^.(]+\(.*$/, '');
        assert.equal(frame.app, isApplicationFrame(className), `${frame.text}: highlighted as isApplicationFrame says`);
        assert.equal(frame.link, frame.app);
      }
      assert.match((await page.locator('.pools li').first().textContent()) ?? '', new RegExp(`^${facts.pool} \\(port ${facts.port}\\)`));

      await screenshot(page, 'panel-light.png');
    });
  });

  test('the analysis runs in a Web Worker started from a Blob URL: the cross-origin script URL is refused', async () => {
    await withPage(incidentPanel, async (page) => {
      const workerUrl = `${harness.mediaOrigin}/media/worker.js`;
      const direct = await page.evaluate((url) => {
        try {
          new Worker(url).terminate();
          return 'started';
        } catch (error) {
          return (error as Error).name;
        }
      }, workerUrl);
      assert.equal(direct, 'SecurityError', 'a webview cannot start a worker from its resource origin');
      const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      assert.ok(fetched.includes(workerUrl), 'the panel fetched worker.js to start it from a Blob');
      const csp = (await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content')) ?? '';
      assert.match(csp, /worker-src blob:/);
      assert.deepEqual(await page.evaluate(() => (window as unknown as { __harness: { securityViolations: string[] } }).__harness.securityViolations), []);
    });
  });

  test('filtering the socket table by text and by state', async () => {
    await withPage(incidentPanel, async (page) => {
      const visibleRows = () => page.$$eval('.socket-table tbody tr:not([hidden])', (trs) => trs.map((tr) => `${tr.getAttribute('data-remote')} ${tr.getAttribute('data-state')}`));
      const [host] = [...facts.closeWaitByRemoteHost.keys()];
      await page.fill('#socket-filter', host);
      const byHost = await visibleRows();
      assert.ok(byHost.length > 0 && byHost.every((r) => r.startsWith(`${host} `)), byHost.join(', '));
      await page.fill('#socket-filter', '');
      await page.selectOption('#socket-state', 'ESTABLISHED');
      const established = [...facts.rowsByHostAndState.keys()].filter((k) => k.endsWith(' ESTABLISHED'));
      assert.deepEqual(await visibleRows(), established);
      assert.match((await page.textContent('.table-count')) ?? '', new RegExp(`^Showing ${established.length} of ${facts.rowsByHostAndState.size} rows`));
      await page.selectOption('#socket-state', '');
      assert.equal((await visibleRows()).length, facts.rowsByHostAndState.size);
    });
  });

  test('links both ways: a CLOSE_WAIT row highlights its thread group, the group highlights its rows', async () => {
    await withPage(incidentPanel, async (page) => {
      const row = page.locator('.socket-table tbody tr[data-state="CLOSE_WAIT"]').first();
      const group = page.locator('.group').first();
      assert.equal(await group.evaluate((g) => g.classList.contains('is-linked')), false);
      await row.click();
      assert.equal(await row.getAttribute('aria-selected'), 'true');
      assert.equal(await group.evaluate((g) => g.classList.contains('is-linked')), true, 'the workers of the pool on the port are linked to its CLOSE_WAIT sockets');
      assert.match((await page.textContent('.status')) ?? '', /Highlighted 1 thread group linked to CLOSE_WAIT/);
      await row.click();
      assert.equal(await row.getAttribute('aria-selected'), 'false');
      assert.equal(await group.evaluate((g) => g.classList.contains('is-linked')), false);

      await group.locator('.group-select').click();
      assert.equal(await group.locator('.group-select').getAttribute('aria-pressed'), 'true');
      const linked = await page.$$eval('.socket-table tbody tr', (trs) => trs.filter((tr) => tr.classList.contains('is-linked')).map((tr) => tr.getAttribute('data-port')));
      // Every socket of the incident is on the port the pool serves: every row is linked.
      assert.equal(linked.length, facts.rowsByHostAndState.size);
      assert.ok(linked.every((port) => port === String(facts.port)));

      await page.locator('.verdict-select').first().click();
      assert.equal(await group.evaluate((g) => g.classList.contains('is-linked')), true);
      const verdictRows = await page.$$eval('.socket-table tbody tr.is-linked', (trs) => trs.map((tr) => tr.getAttribute('data-state')));
      assert.ok(verdictRows.length === facts.closeWaitByRemoteHost.size && verdictRows.every((s) => s === 'CLOSE_WAIT'), 'the verdict rests on the CLOSE_WAIT sockets');
    });
  });

  test('an application frame posts openFrame with class, method, file and line', async () => {
    await withPage(incidentPanel, async (page) => {
      await page.locator('.verdict-code .frame-link').click();
      const fromCard = await lastMessageOfType(page, 'openFrame');
      assert.deepEqual(fromCard, { type: 'openFrame', class: topAppFrame.class, method: topAppFrame.method, file: topAppFrame.file, line: topAppFrame.line });
      const deeper = facts.appFrames[1];
      await page.locator('.stack .frame-link', { hasText: `${deeper.file}:${deeper.line}` }).click();
      assert.deepEqual(await lastMessageOfType(page, 'openFrame'), { type: 'openFrame', class: deeper.class, method: deeper.method, file: deeper.file, line: deeper.line });
      assert.equal(await page.locator('.stack .frame:not(.is-app) .frame-link').count(), 0, 'JDK frames are not links');
    });
  });

  test('Copy report as Markdown posts the report; Export JSON posts the full report', async () => {
    await withPage(incidentPanel, async (page) => {
      await page.getByRole('button', { name: 'Copy report as Markdown' }).click();
      const copied = await lastMessageOfType(page, 'copyMarkdown');
      const markdown = String(copied.markdown);
      assert.ok(markdown.startsWith('# Thread dump and socket analysis'));
      assert.ok(markdown.includes(`### 1. ${expectedTitle}`));
      assert.ok(markdown.includes(`| CLOSE_WAIT connections | ${closeWaitTotal} |`));
      assert.ok(markdown.includes(`${topAppFrame.file}:${topAppFrame.line}`));
      // The panel hands over the core's report for what it was given, unchanged.
      const sameInputs = analyzeDump([
        { name: 'pasted thread dump', text: facts.jstack },
        { name: 'pasted socket listing', text: facts.listings },
      ]);
      assert.equal(markdown, reportToMarkdown(sameInputs));

      await page.getByRole('button', { name: 'Export JSON' }).click();
      const exported = await lastMessageOfType(page, 'exportJson');
      const report = JSON.parse(String(exported.json)) as DumpReport;
      assert.equal(report.sockets.total, facts.netstatRows + facts.lsofRows);
      assert.equal(report.sockets.byState.CLOSE_WAIT, closeWaitTotal);
      assert.equal(report.threads.total, facts.threadNames.length);
      assert.equal(report.verdicts[0].title, expectedTitle);
      assert.equal(report.threads.items.length, facts.threadNames.length, 'the export holds every thread, not the panel view');

      // The host's answer is shown; what the host sends is checked first.
      await page.evaluate(() => (window as unknown as { __harness: { send(m: unknown): void } }).__harness.send({ type: 'notice', level: 'info', text: 'Copied the report as Markdown.' }));
      assert.equal(await page.textContent('.status'), 'Copied the report as Markdown.');
    });
  });

  test('messages from the host are validated: setInput fills an input; unknown and malformed messages are ignored', async () => {
    await withPage(
      () => openPanel(browser, harness),
      async (page) => {
        const send = (message: unknown) => page.evaluate((m) => (window as unknown as { __harness: { send(m: unknown): void } }).__harness.send(m), message);
        await send({ type: 'notice', level: 'info', text: 'before' });
        await send({ type: 'notice', level: 'shout', text: 'bad level' });
        await send({ type: 'notice', level: 'info', text: 'extra key', html: '<b>x</b>' });
        await send({ type: 'runScript', code: 'window.__pwned = 1' });
        await send({ type: 'setInput', slot: 'elsewhere', name: 'x', text: 'x' });
        await send('setInput');
        assert.equal(await page.textContent('.status'), 'before');
        assert.equal(await page.inputValue('#input-sockets'), '');
        await send({ type: 'setInput', slot: 'sockets', name: 'netstat.txt', text: facts.netstat });
        assert.equal(await page.inputValue('#input-sockets'), facts.netstat);
        await waitForAnalysis(page);
        assert.equal(await page.textContent('#input-sockets-detected'), `Detected: ${facts.netstatCommand}, ${facts.netstatRows} sockets`);
        const bytes = new TextEncoder().encode(facts.jstack);
        await page.evaluate((b) => (window as unknown as { __harness: { send(m: unknown): void } }).__harness.send({ type: 'setInputBytes', slot: 'threads', name: 'jstack.txt', bytes: new Uint8Array(b) }), [...bytes]);
        await page.waitForFunction(() => (document.getElementById('input-threads') as HTMLTextAreaElement).value !== '');
        assert.equal(await page.inputValue('#input-threads'), facts.jstack);
        await waitForAnalysis(page);
        assert.equal(await page.locator('.verdict-title').first().textContent(), expectedTitle);
        assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
      },
    );
  });

  test('dropped files are read, decoded (UTF-16 too) and analysed under their names', async () => {
    await withPage(
      () => openPanel(browser, harness),
      async (page) => {
        const utf16 = [0xff, 0xfe, ...[...facts.netstat].flatMap((c) => [c.charCodeAt(0) & 255, c.charCodeAt(0) >> 8])];
        await page.evaluate(
          ([jstack, netstatUtf16, lsof]) => {
            const drop = (target: Element, files: File[]) => {
              const data = new DataTransfer();
              for (const file of files) data.items.add(file);
              target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
              target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            };
            drop(document.querySelector('[data-slot="threads"]')!, [new File([jstack], 'jstack.txt')]);
            drop(document.querySelector('[data-slot="sockets"]')!, [new File([new Uint8Array(netstatUtf16)], 'netstat.txt'), new File([lsof], 'lsof.txt')]);
          },
          [facts.jstack, utf16, facts.lsof] as const,
        );
        await page.waitForFunction(() => (document.getElementById('input-sockets') as HTMLTextAreaElement).value.includes('lsof'));
        await waitForAnalysis(page);
        assert.equal(await page.inputValue('#input-threads'), facts.jstack);
        assert.equal(await page.inputValue('#input-sockets'), `${facts.netstat}\n${facts.lsof}`);
        assert.equal(await page.locator('.verdict [data-evidence="closeWait"] dd').textContent(), String(closeWaitTotal));
        const lines = (await page.locator('.evidence-lines pre').textContent()) ?? '';
        assert.match(lines, /jstack\.txt:\d+/);
        assert.match(lines, /netstat\.txt \+ lsof\.txt:\d+/);

        // Files dragged from VS Code's explorer arrive as URIs: the host reads them.
        await page.evaluate(() => {
          const data = new DataTransfer();
          data.setData('text/uri-list', 'file:///work/incident/jstack.txt\r\n');
          const target = document.querySelector('[data-slot="threads"]')!;
          target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        });
        assert.deepEqual(await lastMessageOfType(page, 'readDroppedUris'), { type: 'readDroppedUris', slot: 'threads', uris: ['file:///work/incident/jstack.txt'] });
      },
    );
  });

  test('theme switch: light, dark and high contrast recolour the panel through the theme variables', async () => {
    await withPage(incidentPanel, async (page) => {
      const colours = () =>
        page.evaluate(() => {
          const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
          return {
            background: style('body').backgroundColor,
            foreground: style('body').color,
            button: style('.report-actions button').backgroundColor,
            closeWait: style('.chart-bar.is-highlight').fill,
            card: style('.verdict').borderTopColor,
          };
        });
      const themes = await page.evaluate(() => (window as unknown as { __harness: { themes: Record<string, Record<string, string>> } }).__harness.themes);
      const light = await colours();
      assert.equal(light.background, rgb(themes.light['editor-background']));
      assert.equal(light.closeWait, rgb(themes.light['charts-red']));

      await page.evaluate(() => (window as unknown as { __harness: { setTheme(t: string): void } }).__harness.setTheme('dark'));
      const dark = await colours();
      assert.equal(dark.background, rgb(themes.dark['editor-background']));
      assert.equal(dark.foreground, rgb(themes.dark.foreground));
      assert.equal(dark.button, rgb(themes.dark['button-background']));
      assert.equal(dark.closeWait, rgb(themes.dark['charts-red']));
      for (const key of ['background', 'foreground', 'button', 'closeWait'] as const) assert.notEqual(dark[key], light[key], key);
      await screenshot(page, 'panel-dark.png');

      await page.evaluate(() => (window as unknown as { __harness: { setTheme(t: string): void } }).__harness.setTheme('high-contrast'));
      const contrast = await colours();
      assert.equal(contrast.background, rgb(themes['high-contrast']['editor-background']));
      assert.equal(contrast.card, rgb(themes['high-contrast'].contrastBorder), 'high contrast: cards get the contrast border');
      assert.equal(await page.evaluate(() => document.body.className), 'vscode-high-contrast');
    });
  });

  test('a dump holding HTML stays text: no script runs, no element is made from it', async () => {
    const hostile = [
      `"<script>window.__pwned='name'</script><img src=x onerror=\\"window.__pwned='img'\\">" #12 daemon prio=5 os_prio=0 tid=0x00007f0000001000 nid=0x101 waiting on condition [0x00007f0000000000]`,
      '   java.lang.Thread.State: WAITING (parking)',
      '\tat jdk.internal.misc.Unsafe.park(java.base@17/Native Method)',
      `\tat com.evil.Payload.call(<img src=x onerror="window.__pwned='file'">:7)`,
      `\tat com.evil.Payload.<script>window.__pwned='method'</script>(Payload.java:9)`,
      '\tat com.evil.Payload.run(Payload.java:13)',
      '',
    ].join('\n');
    const listing = [
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
      `tcp        1      0 10.0.0.1:8080           10.0.0.2:5000           CLOSE_WAIT  42/<svg/onload=window.__pwned='svg'>`,
      '',
    ].join('\n');
    await withPage(
      () => openPanel(browser, harness),
      async (page) => {
        const tagsBefore = await page.evaluate(() => {
          const created: string[] = [];
          (window as unknown as { __created: string[] }).__created = created;
          new MutationObserver((records) => {
            for (const r of records) for (const n of Array.from(r.addedNodes)) if (n instanceof Element) for (const e of [n, ...Array.from(n.querySelectorAll('*'))]) created.push(e.tagName.toLowerCase());
          }).observe(document, { childList: true, subtree: true });
          return document.scripts.length;
        });
        await paste(page, 'threads', hostile);
        await paste(page, 'sockets', listing);
        await waitForAnalysis(page);
        const result = await page.evaluate(() => ({
          pwned: (window as unknown as { __pwned?: unknown }).__pwned,
          created: [...new Set((window as unknown as { __created: string[] }).__created)],
          scripts: document.scripts.length,
          dangerous: document.querySelectorAll('img, iframe, object, embed, script:not([nonce]), foreignObject, a[href]').length,
          handlers: Array.from(document.querySelectorAll('*')).flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
          names: document.querySelector('.group-names')?.textContent ?? '',
          stack: document.querySelector('.stack')?.textContent ?? '',
          violations: (window as unknown as { __harness: { securityViolations: string[] } }).__harness.securityViolations,
        }));
        assert.equal(result.pwned, undefined);
        assert.equal(result.scripts, tagsBefore);
        assert.equal(result.dangerous, 0);
        assert.deepEqual(result.handlers, []);
        assert.deepEqual(result.violations, [], 'nothing even tried to run');
        // Only the panel's own building blocks were created.
        const ours = new Set('article,button,code,col,colgroup,dd,details,div,dl,dt,figcaption,figure,h2,h3,h4,header,li,meter,ol,option,p,pre,rect,section,span,summary,svg,table,tbody,td,text,th,thead,title,tr,ul'.split(','));
        assert.deepEqual(result.created.filter((t) => !ours.has(t)), []);
        // The markup is shown as the text it is.
        assert.ok(result.names.includes(`<script>window.__pwned='name'</script><img src=x onerror=`), result.names);
        assert.ok(result.stack.includes(`<img src=x onerror="window.__pwned='file'">:7`), result.stack);
        const links = await page.$$eval('.frame-link', (buttons) => buttons.map((b) => b.getAttribute('data-file')));
        assert.ok(!links.some((file) => file?.includes('<')), 'a file name with markup is not offered to the host');
      },
    );
  });

  test('state survives a reload: inputs, selection, filter and closed stacks', async () => {
    await withPage(incidentPanel, async (page) => {
      const [host] = [...facts.closeWaitByRemoteHost.keys()];
      const key = `inbound|${facts.port}|${host}|CLOSE_WAIT`;
      await page.locator(`.socket-table tr[data-key="${key}"]`).click();
      await page.fill('#socket-filter', 'CLOSE');
      await page.locator('.group .toggle').first().click();
      await page.waitForFunction((k) => {
        const saved = (window as unknown as { __harness: { savedState(): string | null } }).__harness.savedState() ?? '';
        return saved.includes(k) && saved.includes('"filterText":"CLOSE"') && saved.includes(':false');
      }, key);

      await page.reload();
      await waitForAnalysis(page);
      assert.equal(await page.inputValue('#input-threads'), facts.jstack);
      assert.equal(await page.inputValue('#input-sockets'), facts.listings);
      assert.equal(await page.inputValue('#socket-filter'), 'CLOSE');
      assert.equal(await page.locator(`.socket-table tr[data-key="${key}"]`).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('.group').first().evaluate((g) => g.classList.contains('is-linked')), true);
      assert.equal(await page.locator('.group .toggle').first().getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('.stack').first().isHidden(), true);
      assert.equal(await page.locator('.socket-table tbody tr[data-state="ESTABLISHED"]').isHidden(), true);
    });
  });

  test('keyboard: tab order, visible focus, Enter and Space on rows and toggles, arrow keys between rows', async () => {
    await withPage(incidentPanel, async (page) => {
      // Tabbing starts where the user last clicked: the panel's title, above every control.
      await page.locator('h1').click();
      const stops: { what: string; outline: string }[] = [];
      for (let k = 0; k < 30; k++) {
        await page.keyboard.press('Tab');
        const stop = await page.evaluate(() => {
          const e = document.activeElement as HTMLElement;
          const style = getComputedStyle(e);
          const what = e.id !== '' ? `#${e.id}` : e.matches('tr') ? `row ${e.getAttribute('data-state')}` : `${e.className || e.tagName.toLowerCase()} ${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40)}`;
          return { what, outline: `${style.outlineStyle} ${style.outlineWidth}` };
        });
        stops.push(stop);
        assert.ok(!stop.outline.startsWith('none') && !stop.outline.endsWith(' 0px'), `${stop.what} shows focus (${stop.outline})`);
        if (stop.what.includes('frame-link') && stops.some((s) => s.what.startsWith('row'))) break;
      }
      const order = (pattern: RegExp) => stops.findIndex((s) => pattern.test(s.what));
      const expected = [/Copy report as Markdown/, /#input-threads/, /#input-sockets/, /frame-link/, /#socket-filter/, /#socket-state/, /^row CLOSE_WAIT/, /^toggle/, /^group-select/];
      const positions = expected.map(order);
      assert.ok(positions.every((p) => p >= 0), `every stop reached: ${stops.map((s) => s.what).join(' | ')}`);
      assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'in reading order');

      const rows = page.locator('.socket-table tbody tr');
      await rows.first().focus();
      await page.keyboard.press('Enter');
      assert.equal(await rows.first().getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('.group').first().evaluate((g) => g.classList.contains('is-linked')), true);
      await page.keyboard.press('ArrowDown');
      assert.equal(await rows.nth(1).evaluate((r) => r === document.activeElement), true);
      await page.keyboard.press(' ');
      assert.equal(await rows.nth(1).getAttribute('aria-selected'), 'true');
      assert.equal(await rows.first().getAttribute('aria-selected'), 'false');
      await page.keyboard.press(' ');
      assert.equal(await rows.nth(1).getAttribute('aria-selected'), 'false');

      const toggle = page.locator('.group .toggle').first();
      await toggle.focus();
      await page.keyboard.press(' ');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('.stack').first().isHidden(), true);
      await page.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      const link = page.locator('.stack .frame-link').first();
      await link.focus();
      await page.keyboard.press('Enter');
      assert.equal((await lastMessageOfType(page, 'openFrame')).line, topAppFrame.line);
    });
  });

  test('every control has an accessible name', async () => {
    await withPage(incidentPanel, async (page) => {
      await page.locator('.evidence-lines summary').first().click();
      const cdp = await page.context().newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[] };
      const controls = nodes.filter((n) => !n.ignored && /^(button|textbox|searchbox|combobox|link|row|checkbox|meter|progressbar|image|img|grid|DisclosureTriangle|table)$/.test(n.role?.value ?? ''));
      assert.ok(controls.length > 15, `${controls.length} controls`);
      const unnamed = controls.filter((n) => (n.name?.value ?? '').trim() === '').map((n) => n.role?.value);
      assert.deepEqual(unnamed, []);
      const roles = new Set(controls.map((n) => n.role?.value));
      for (const role of ['button', 'textbox', 'searchbox', 'combobox', 'row', 'meter']) assert.ok(roles.has(role), `a ${role} is exposed`);
    });
  });

  test('400 px wide: nothing overflows horizontally', async () => {
    await withPage(
      () => incidentPanel({ width: 400 }),
      async (page) => {
        await page.locator('.evidence-lines summary').first().click();
        const layout = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const outside = Array.from(document.querySelectorAll('body *'))
            .filter((e) => !e.closest('[hidden], textarea, .sr-only, .drop-overlay'))
            .filter((e) => {
              const r = e.getBoundingClientRect();
              return r.width > 0 && r.right > width + 0.5;
            })
            .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''} ${Math.round(e.getBoundingClientRect().right)}`);
          return { width, scrollWidth: document.documentElement.scrollWidth, outside };
        });
        assert.equal(layout.width, 400);
        assert.ok(layout.scrollWidth <= layout.width, `page is ${layout.scrollWidth}px wide`);
        assert.deepEqual(layout.outside, []);
        // Narrow is not cramped: state names and the verdict title do not break inside a word.
        const brokenWords = await page.$$eval('.socket-table td.state, .badge, .fact dt', (cells) =>
          cells
            .filter((cell) => {
              const range = document.createRange();
              range.selectNodeContents(cell);
              const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
              return !(cell.textContent ?? '').includes(' ') && lines.size > 1;
            })
            .map((cell) => cell.textContent),
        );
        assert.deepEqual(brokenWords, []);
        await screenshot(page, 'panel-400px.png');
      },
    );
  });

  test('README shows one light and one dark screenshot of the panel', async () => {
    const dir = join(__dirname, '..', '..', 'media', 'screenshots');
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('panel-'))
      .sort();
    assert.deepEqual(files, ['panel-dark.png', 'panel-light.png']);
    for (const file of files) assert.deepEqual([...readFileSync(join(dir, file)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is a PNG`);
  });
});
