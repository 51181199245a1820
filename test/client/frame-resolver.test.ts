// Stack frame -> workspace file, without VS Code: the host lists files (vscode.workspace.findFiles), these pure
// functions rank them and decide between opening one, asking the user, and saying it is not in the workspace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chooseFrameTarget, frameSearchGlob, rankFrameCandidates, sourceFileName, type FrameLocation } from '../../src/client/frame-resolver';
import { sharedRoot } from '../helpers';

/** The frame the incident's verdict points at, read from the pasted jstack line. */
function incidentFrame(): FrameLocation & { file: string } {
  const jstack = readFileSync(join(sharedRoot, 'incidents', 'tomcat-self-call', 'jstack.txt'), 'utf8');
  const match = /^\s+at (net\.[\w.]+)\.(\w+)\(([\w.]+):(\d+)\)$/m.exec(jstack);
  assert.ok(match !== null, 'the incident has an application frame');
  return { class: match[1], method: match[2], file: match[3], line: Number(match[4]) };
}

const frame = incidentFrame();
const packagePath = frame.class.split('.').slice(0, -1).join('/');

test('the file in the folder of its package wins over same-named files elsewhere, copies and tests', () => {
  const files = [
    `/ws/crystal/src/main/java/${packagePath}/${frame.file}`,
    `/ws/crystal/src/main/java/net/daum/legacy/${frame.file}`,
    `/ws/crystal/build/generated/${packagePath}/${frame.file}`,
    `/ws/crystal/src/test/java/${packagePath}/SearchManagerTest.java`,
    '/ws/crystal/docs/SearchManager.md',
    `/ws/other/${frame.file}`,
  ];
  const ranked = rankFrameCandidates(frame, files);
  // Only files named like the frame's file; the exact package first, its build copy next.
  assert.deepEqual(
    ranked.slice(0, 2).map((c) => c.path),
    [`/ws/crystal/src/main/java/${packagePath}/${frame.file}`, `/ws/crystal/build/generated/${packagePath}/${frame.file}`],
  );
  assert.deepEqual(new Set(ranked.slice(2).map((c) => c.path)), new Set([`/ws/crystal/src/main/java/net/daum/legacy/${frame.file}`, `/ws/other/${frame.file}`]));
  assert.deepEqual(
    ranked.map((c) => [c.exactPackage, c.packageMatch, c.generated]),
    [
      [true, packagePath.split('/').length, false],
      [true, packagePath.split('/').length, true],
      [false, 0, false],
      [false, 0, false],
    ],
  );
  const target = chooseFrameTarget(frame, files);
  assert.equal(target.kind, 'open');
  assert.equal(target.kind === 'open' && target.candidate.path, files[0]);
  assert.equal(target.kind === 'open' && target.line, frame.line);
});

test('equally good files (two modules with the same package) are left to the user, best first', () => {
  const files = [`/ws/search-api/src/main/java/${packagePath}/${frame.file}`, `/ws/search-core/src/main/java/${packagePath}/${frame.file}`, `/ws/x/${frame.file}`];
  const target = chooseFrameTarget(frame, files);
  assert.equal(target.kind, 'choose');
  assert.deepEqual(target.kind === 'choose' && target.candidates.map((c) => c.path), files);
});

test('a single file of the right name opens even in another folder (a moved package)', () => {
  const target = chooseFrameTarget(frame, [`/ws/src/${frame.file}`]);
  assert.equal(target.kind, 'open');
});

test('not in the workspace: says which file and package were looked for', () => {
  assert.deepEqual(chooseFrameTarget(frame, ['/ws/src/main/java/com/example/Other.java']), {
    kind: 'none',
    fileName: frame.file,
    packageName: frame.class.split('.').slice(0, -1).join('.'),
  });
  assert.deepEqual(chooseFrameTarget(frame, []).kind, 'none');
});

test('Windows paths, partial package matches and case-only matches rank sensibly', () => {
  const files = [`C:\\ws\\src\\main\\java\\${packagePath.replace(/\//g, '\\')}\\${frame.file}`, `C:\\ws\\vendored\\execute\\${frame.file}`, `C:\\ws\\src\\${frame.file.toLowerCase()}`];
  const ranked = rankFrameCandidates(frame, files);
  assert.deepEqual(
    ranked.map((c) => [c.path.split('/').slice(-2).join('/'), c.packageMatch, c.caseMismatch]),
    [
      [`execute/${frame.file}`, packagePath.split('/').length, false],
      [`execute/${frame.file}`, 1, false],
      [`src/${frame.file.toLowerCase()}`, 0, true],
    ],
  );
  assert.ok(ranked[0].path.startsWith('C:/ws/src/main/java/'));
});

test('Unknown Source, nested classes, OpenJ9 slashes, module prefixes and Kotlin files', () => {
  assert.equal(sourceFileName({ class: 'com.x.Outer$Inner$1', file: null, line: null }), 'Outer.java');
  assert.equal(sourceFileName({ class: 'com.x.ReportKt', file: 'Report.kt', line: 12 }), 'Report.kt');
  const openj9 = { class: 'com/x/Outer$Inner', file: null, line: null };
  assert.deepEqual(
    rankFrameCandidates(openj9, ['/ws/src/com/x/Outer.java', '/ws/src/com/y/Outer.java']).map((c) => c.exactPackage),
    [true, false],
  );
  const modular = { class: 'app//com.x.Outer', file: 'Outer.java', line: 3 };
  assert.equal(chooseFrameTarget(modular, ['/ws/src/com/x/Outer.java', '/ws/src/com/y/Outer.java']).kind, 'open');
  assert.equal(sourceFileName({ class: 'com.x.$Proxy12', file: null, line: null }), null);
});

test('the search glob is the file name anywhere, never glob syntax from a dump', () => {
  assert.equal(frameSearchGlob(frame), `**/${frame.file}`);
  assert.equal(frameSearchGlob({ class: 'com.x.Y', file: '*.java', line: 1 }), null);
  assert.equal(frameSearchGlob({ class: 'com.x.Y', file: '{a,b}.java', line: 1 }), null);
  assert.equal(frameSearchGlob({ class: 'com.x.Y', file: null, line: null }), '**/Y.java');
});
