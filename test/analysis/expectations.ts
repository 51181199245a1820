// Reads the expectations fixtures carry inline: `// expect: rule-a, rule-b` on an offending line (reported by the
// default profile), `// strict: rule` on a line only the strict profile reports (a guess, or a wait outside request
// handling), `// ok` on a near miss (documentation for the reader: any line without a marker must stay clean).
import { join } from 'node:path';
import type { Profile } from '../../src/analysis/scope/policy';

export const fixtureRoot = join(__dirname, '..', 'fixtures');

const EXPECT = /(?:\/\/|\/\*|#)\s*expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;
const STRICT = /(?:\/\/|\/\*|#)\s*strict:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;

function marked(text: string, rule: string, marker: RegExp): number[] {
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = marker.exec(line);
    if (match && match[1].split(/\s*,\s*/).includes(rule)) lines.push(index + 1);
  });
  return lines;
}

/** 1-based lines where `profile` reports `rule`, sorted: `expect` lines, and for strict the `strict` lines too. */
export function expectedLines(text: string, rule: string, profile: Profile = 'default'): number[] {
  const lines = marked(text, rule, EXPECT);
  if (profile === 'strict') lines.push(...marked(text, rule, STRICT));
  return lines.sort((a, b) => a - b);
}

/** Number of marked cases (`expect:` and `ok`) in a fixture text. */
export function caseCount(text: string): { expect: number; ok: number } {
  let expect = 0;
  let ok = 0;
  for (const line of text.split(/\r?\n/)) {
    if (EXPECT.test(line) || STRICT.test(line)) expect++;
    else if (/\/\/\s*ok\b/.test(line)) ok++;
  }
  return { expect, ok };
}
