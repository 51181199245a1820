// Stands in for VS Code's webview preload in the browser tests: acquireVsCodeApi (posted messages recorded, state
// kept in sessionStorage so it survives a page reload as VS Code keeps it across a window reload), and the theme:
// the --vscode-* variables on <html> and the body class, as VS Code sets them. Loaded with the page's nonce, before
// media/panel.js.
(() => {
  const STATE_KEY = 'closewait-harness-state';

  // A subset of VS Code's Light+, Dark+ and High Contrast colours: the variables media/panel.css reads.
  const THEMES = {
    light: {
      kind: 'vscode-light',
      vars: {
        'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'font-weight': 'normal',
        'editor-font-family': 'Menlo, Monaco, "Courier New", monospace', 'editor-font-size': '12px',
        foreground: '#616161', descriptionForeground: '#717171', errorForeground: '#a1260d',
        'editor-background': '#ffffff', 'editor-foreground': '#000000', 'editorWidget-background': '#f3f3f3',
        'panel-border': '#e5e5e5', 'widget-border': '#d4d4d4', focusBorder: '#0090f1',
        'button-background': '#007acc', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0062a3',
        'button-secondaryBackground': '#5f6a79', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#4c5561',
        'input-background': '#ffffff', 'input-foreground': '#616161', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
        'dropdown-background': '#ffffff', 'dropdown-foreground': '#616161', 'dropdown-border': '#cecece',
        'textLink-foreground': '#006ab1', 'textLink-activeForeground': '#006ab1',
        'list-hoverBackground': '#e8e8e8', 'list-activeSelectionBackground': '#0060c0', 'list-activeSelectionForeground': '#ffffff',
        'list-inactiveSelectionBackground': '#e4e6f1', 'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
        'editor-selectionHighlightBackground': 'rgba(173, 214, 255, 0.3)', 'editorOverviewRuler-findMatchForeground': 'rgba(209, 134, 22, 0.49)',
        'charts-red': '#e51400', 'charts-blue': '#1a85ff', 'charts-foreground': '#616161', 'charts-lines': 'rgba(97, 97, 97, 0.5)',
        'badge-background': '#c4c4c4', 'badge-foreground': '#333333', 'progressBar-background': '#0e70c0',
        'textCodeBlock-background': 'rgba(220, 220, 220, 0.4)', 'editorWarning-foreground': '#bf8803',
        'inputValidation-warningBorder': '#b89500', 'inputValidation-warningBackground': '#f6f5d2',
      },
    },
    dark: {
      kind: 'vscode-dark',
      vars: {
        'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'font-weight': 'normal',
        'editor-font-family': 'Menlo, Monaco, "Courier New", monospace', 'editor-font-size': '12px',
        foreground: '#cccccc', descriptionForeground: '#9d9d9d', errorForeground: '#f48771',
        'editor-background': '#1e1e1e', 'editor-foreground': '#d4d4d4', 'editorWidget-background': '#252526',
        'panel-border': '#3c3c3c', 'widget-border': '#303031', focusBorder: '#007fd4',
        'button-background': '#0e639c', 'button-foreground': '#ffffff', 'button-hoverBackground': '#1177bb',
        'button-secondaryBackground': '#3a3d41', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#45494e',
        'input-background': '#3c3c3c', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#a6a6a6',
        'dropdown-background': '#3c3c3c', 'dropdown-foreground': '#f0f0f0', 'dropdown-border': '#3c3c3c',
        'textLink-foreground': '#3794ff', 'textLink-activeForeground': '#3794ff',
        'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
        'list-inactiveSelectionBackground': '#37373d', 'editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
        'editor-selectionHighlightBackground': 'rgba(173, 214, 255, 0.15)', 'editorOverviewRuler-findMatchForeground': 'rgba(209, 134, 22, 0.49)',
        'charts-red': '#f14c4c', 'charts-blue': '#3794ff', 'charts-foreground': '#cccccc', 'charts-lines': 'rgba(204, 204, 204, 0.5)',
        'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff', 'progressBar-background': '#0e70c0',
        'textCodeBlock-background': 'rgba(10, 10, 10, 0.4)', 'editorWarning-foreground': '#cca700',
        'inputValidation-warningBorder': '#b89500', 'inputValidation-warningBackground': '#352a05',
      },
    },
    'high-contrast': {
      kind: 'vscode-high-contrast',
      vars: {
        'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'font-weight': 'normal',
        'editor-font-family': 'Menlo, Monaco, "Courier New", monospace', 'editor-font-size': '12px',
        foreground: '#ffffff', descriptionForeground: 'rgba(255, 255, 255, 0.7)', errorForeground: '#f48771',
        'editor-background': '#000000', 'editor-foreground': '#ffffff', 'editorWidget-background': '#0c141f',
        'panel-border': '#6fc3df', 'widget-border': '#6fc3df', focusBorder: '#f38518',
        contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
        'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
        'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': 'rgba(255, 255, 255, 0.7)',
        'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
        'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
        'list-activeSelectionBackground': '#000000', 'list-inactiveSelectionBackground': '#000000',
        'editor-findMatchHighlightBackground': 'rgba(0, 0, 0, 0)', 'editor-selectionHighlightBackground': 'rgba(0, 0, 0, 0)',
        'charts-red': '#f14c4c', 'charts-blue': '#3794ff', 'charts-foreground': '#ffffff', 'charts-lines': 'rgba(255, 255, 255, 0.5)',
        'badge-background': '#000000', 'badge-foreground': '#ffffff', 'progressBar-background': '#6fc3df',
        'textCodeBlock-background': 'rgba(10, 10, 10, 0.4)', 'editorWarning-foreground': '#fff500',
        'inputValidation-warningBorder': '#6fc3df', 'inputValidation-warningBackground': '#000000',
      },
    },
  };

  const messages = [];
  const stateWrites = [];
  const securityViolations = [];
  let acquired = false;

  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      // VS Code clones what is posted: a message must survive structured cloning.
      postMessage: (message) => messages.push(structuredClone(message)),
      getState: () => {
        const saved = sessionStorage.getItem(STATE_KEY);
        return saved === null ? undefined : JSON.parse(saved);
      },
      setState: (state) => {
        const json = JSON.stringify(state);
        sessionStorage.setItem(STATE_KEY, json);
        stateWrites.push(json.length);
        return state;
      },
    });
  };

  function setTheme(name) {
    const theme = THEMES[name];
    if (!theme) throw new Error(`no theme ${name}`);
    const style = document.documentElement.style;
    for (let k = style.length - 1; k >= 0; k--) if (style[k].startsWith('--vscode-')) style.removeProperty(style[k]);
    for (const [key, value] of Object.entries(theme.vars)) style.setProperty(`--vscode-${key}`, value);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(theme.kind);
    document.body.dataset.vscodeThemeKind = theme.kind;
  }

  document.addEventListener('securitypolicyviolation', (event) => securityViolations.push(`${event.violatedDirective} ${event.blockedURI}`));

  window.__harness = {
    messages,
    stateWrites,
    securityViolations,
    themes: Object.fromEntries(Object.entries(THEMES).map(([name, theme]) => [name, theme.vars])),
    setTheme,
    /** A message from the extension host, delivered as VS Code delivers it. */
    send: (data) => window.dispatchEvent(new MessageEvent('message', { data })),
    savedState: () => sessionStorage.getItem(STATE_KEY),
    clearState: () => sessionStorage.removeItem(STATE_KEY),
  };

  setTheme(new URLSearchParams(location.search).get('theme') ?? 'light');
})();
