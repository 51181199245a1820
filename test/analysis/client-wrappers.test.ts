// Workspace facts about the project's own HTTP wrappers (facts/client-wrappers.ts).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadAllLanguages } from '../../src/analysis';
import { gatherFacts } from '../../src/analysis/facts';

before(loadAllLanguages);

describe('client wrappers (workspace facts)', () => {
  const wrapper = [
    'package com.acme.net;',
    'import java.net.URL;',
    'import java.net.URLConnection;',
    'public class Http {',
    '  public static URLConnection open(URL url) throws java.io.IOException {',
    '    URLConnection con = url.openConnection();',
    '    con.setConnectTimeout(5000);',
    '    return con;',
    '  }',
    '  private static URLConnection hidden(URL url) throws java.io.IOException { return url.openConnection(); }',
    '  public static URLConnection bounded(URL url) throws java.io.IOException {',
    '    URLConnection con = url.openConnection();',
    '    con.setConnectTimeout(5000);',
    '    con.setReadTimeout(10000);',
    '    return con;',
    '  }',
    '}',
  ].join('\n');

  test('summarise production methods that leave the read timeout unset, with where they are (a private one too: its class calls it)', () => {
    const facts = gatherFacts([{ path: 'src/main/java/com/acme/net/Http.java', text: wrapper }]);
    assert.deepEqual(
      facts.clientWrappers.map((w) => `${w.owner}.${w.name} ${w.returns} ${w.file}:${w.line} ${w.gap}`),
      [
        'com.acme.net.Http.open connection src/main/java/com/acme/net/Http.java:5 sets no read timeout (setReadTimeout)',
        'com.acme.net.Http.hidden connection src/main/java/com/acme/net/Http.java:10 sets no connect or read timeout',
      ],
    );
  });

  test('ignore wrappers in test code, and sources the pre-filter turns away', () => {
    assert.deepEqual(gatherFacts([{ path: 'src/test/java/com/acme/net/Http.java', text: wrapper }]).clientWrappers, []);
    assert.deepEqual(gatherFacts([{ path: 'src/main/java/com/acme/net/Http.java', text: wrapper.replace(/openConnection/g, 'openChannel') }]).clientWrappers, []);
    // A decorator's builder that copies the wrapped request's timeout (micrometer's MicrometerHttpClient.decorate).
    const decorate = 'import java.net.http.HttpRequest;\nclass D {\n  private HttpRequest.Builder decorate(HttpRequest r) {\n    HttpRequest.Builder b = HttpRequest.newBuilder(r.uri());\n    r.timeout().ifPresent(b::timeout);\n    return b;\n  }\n}\n';
    assert.deepEqual(gatherFacts([{ path: 'src/main/java/D.java', text: decorate }]).clientWrappers, []);
  });

  test('follow an exported JS function through a same-file helper to the option that bounds its fetch', () => {
    const text = [
      'async function call(url, method, { timeout, ...rest } = {}) {',
      '  return fetch(url, { ...rest, method, signal: timeout ? AbortSignal.timeout(timeout) : undefined });',
      '}',
      'exports.get = (url, options) => call(url, "GET", options);',
      'module.exports.always = (url) => fetch(url, { signal: AbortSignal.timeout(1000) });',
    ].join('\n');
    const facts = gatherFacts([{ path: 'lib/http/index.js', text }]);
    // The helper itself is a wrapper its module calls (judged at its calls in this file only).
    assert.deepEqual(
      facts.clientWrappers.map((w) => `${w.owner} ${w.label} ${JSON.stringify(w.option)}${w.local ? ` local ${w.local.kind}` : ''}`),
      ['lib/http/index http.call {"index":2,"key":"timeout"} local function', 'lib/http/index http.get {"index":1,"key":"timeout"}'],
    );
  });
});
