// Renders media/icon.svg (the source, edit that) to media/icon.png, the extension's icon, with Debian's headless
// Chromium: `npm run icon`. The PNG records the SHA-256 of the SVG it was made from in a tEXt chunk, so a test can
// tell when the PNG is stale.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = join(new URL('.', import.meta.url).pathname, '..');
const svgPath = join(root, 'media', 'icon.svg');
const pngPath = join(root, 'media', 'icon.png');
const SIZE = 256;
const SOURCE_KEY = 'closewait:icon-svg-sha256';

/** A PNG tEXt chunk (keyword, NUL, text), inserted right after IHDR. */
function withText(png, keyword, text) {
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]);
  const type = Buffer.from('tEXt', 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 8 + data.length);
  const afterIhdr = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

const svg = readFileSync(svgPath, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CLOSEWAIT_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  const hash = createHash('sha256').update(svg).digest('hex');
  writeFileSync(pngPath, withText(png, SOURCE_KEY, hash));
  console.log(`media/icon.png: ${SIZE}x${SIZE}, from media/icon.svg (sha256 ${hash.slice(0, 12)})`);
} finally {
  await browser.close();
}
