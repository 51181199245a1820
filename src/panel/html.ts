// The panel's page shell, with its Content-Security-Policy. Used by the extension host (and by the browser-test
// harness, so the tests run under the same policy). Dump text never goes through here: the page is static and the
// script fills it with DOM nodes.

export interface PanelHtmlOptions {
  /** The webview's `cspSource`: where media/ is served from. */
  cspSource: string;
  /** Fresh for every page: the only scripts that run carry it. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  workerUri: string;
}

export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    // The worker script is fetched, then started from a Blob URL (see src/panel/analysis-client.ts).
    `connect-src ${cspSource}`,
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function panelHtml(options: PanelHtmlOptions): string {
  const a = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${a(panelCsp(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${a(options.styleUri)}">
<title>Analyze Dump</title>
</head>
<body data-worker-uri="${a(options.workerUri)}">
<div id="app"></div>
<script nonce="${a(options.nonce)}" src="${a(options.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
