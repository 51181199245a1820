// Reads the expectations fixtures carry inline: `// expect: rule-a, rule-b` on an offending line, `// ok` on a
// near miss (documentation for the reader: any line without `expect` must stay clean).
import { join } from 'node:path';

export const fixtureRoot = join(__dirname, '..', 'fixtures');

const EXPECT = /(?:\/\/|\/\*|#)\s*expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;

/** 1-based lines that expect `rule`, sorted. */
export function expectedLines(text: string, rule: string): number[] {
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = EXPECT.exec(line);
    if (match && match[1].split(/\s*,\s*/).includes(rule)) lines.push(index + 1);
  });
  return lines;
}

/** Number of marked cases (`expect:` and `ok`) in a fixture text. */
export function caseCount(text: string): { expect: number; ok: number } {
  let expect = 0;
  let ok = 0;
  for (const line of text.split(/\r?\n/)) {
    if (EXPECT.test(line)) expect++;
    else if (/\/\/\s*ok\b/.test(line)) ok++;
  }
  return { expect, ok };
}
