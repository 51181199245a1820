// Which JavaScript/TypeScript files run in a browser. A `fetch` in a web page holds no server thread and no server
// socket: it has nothing to do with a server's CLOSE_WAIT pile, so the default policy hides findings there. Decided
// from what the file uses (the DOM, a front-end framework), where it lives (a web app's static folders, a Java
// project's resources) and what its package.json says (`browser` files, a front-end package).
import type { WorkspaceFacts } from '../facts/workspace';
import { isListed, projectOf } from '../facts/workspace';

/**
 * Uses that only make sense in a page. `document.`/`window.` alone are not enough: servers name variables so. jQuery's
 * `$(document)` stands outside the word boundary, which a `$` never follows.
 */
const DOM_USE =
  /\b(?:document\.(?:getElementById|getElementsBy\w+|querySelector(?:All)?|createElement|body|head|documentElement|cookie|location|addEventListener|readyState)|window\.(?:location|addEventListener|document|localStorage|sessionStorage|history|navigator|requestAnimationFrame|open\(|scrollTo|innerWidth|matchMedia)|(?:localStorage|sessionStorage)\.(?:getItem|setItem|removeItem)|new\s+XMLHttpRequest\b|jQuery\s*\()|(?<![\w$])\$\(\s*(?:document|window)\s*\)/;

/**
 * `withCredentials: true` (an XMLHttpRequest, axios or EventSource option) or fetch's `credentials: 'include'`: asks a
 * browser to send its cookies. Node's fetch keeps no cookies, so server code has no reason to write either (plunk's
 * dashboard client, saltcorn's mobile WebView app).
 */
const BROWSER_CREDENTIALS = /\bwithCredentials\s*:\s*true\b|\bcredentials\s*:\s*['"]include['"]/;

/**
 * A service worker's global scope: `self.addEventListener('fetch', ...)` (not 'message': a Node object held in a
 * `self` variable may be an EventTarget), `self.skipWaiting()`, `importScripts(...)`, the Cache API. Node has no
 * `self`, no `caches` and no `importScripts`.
 */
const WORKER_SCOPE =
  /\bself\.(?:addEventListener\(\s*['"](?:install|activate|fetch|push|sync|notificationclick)['"]|skipWaiting\(|registration\b|clients\.claim\()|\bimportScripts\(|\bcaches\.(?:open|keys|match)\(|\b(?:chrome|browser)\w*\.(?:runtime|tabs|contextMenus|scripting)\.(?:onMessage|onInstalled|sendMessage|query|executeScript|create)\b|\b(?:chrome|browser)\w*\.(?:alarms|cookies|storage|action|webRequest)\.\w+/;

/**
 * Browser frameworks and libraries that a server never runs: not React itself (Next.js renders server components),
 * but the others and the component kits whose components all run in pages (antd, Element, Vant).
 */
const NON_REACT_MODULES = String.raw`vue|vue-router|vuex|pinia|@angular\/[\w-]+|svelte(?:\/[\w-]+)?|solid-js(?:\/[\w-]+)?|jquery|zustand|swr|antd|@ant-design\/[\w-]+|ant-design-vue|element-ui|element-plus|vant`;

/**
 * Imports of front-end frameworks and browser-only libraries: React and its component libraries (`react-hot-toast`,
 * `@mui/material`; not react-email or react-pdf, which render on servers), Next.js's page-side modules, Vercel
 * Blob's browser uploader, and the others (NON_REACT_MODULES).
 */
const FRONTEND_IMPORT = new RegExp(
  String.raw`(?:from\s+|require\(\s*|import\s*\(\s*|import\s+)['"](?:react|react-dom(?:\/[\w-]+)?|react-(?!email\b|pdf\b)[\w.-]+(?:\/[\w-]+)?|@(?:mui|chakra-ui|headlessui|radix-ui)\/[\w-]+|next\/(?:router|navigation|link|image|head|dynamic|script)|@vercel\/blob\/client|${NON_REACT_MODULES}|preact(?:\/[\w-]+)?|solid-js|lit|@?redux[\w/-]*|@tanstack\/react-query)['"]`,
);

/**
 * `fetch('/api/users')`, `fetch('./prompts.json')`, `axios.get('/api/log/list')`: a URL relative to the page. Node's
 * fetch rejects it (there is no page to resolve it against), and so does the axios module itself unless a base URL
 * is set (an instance's is not the module's: only the module's own calls are read).
 */
const RELATIVE_REQUEST = /\b(?:fetch|axios(?:\.(?:get|post|put|patch|delete|head|options|request))?)\(\s*[`'"](?:\.{1,2})?\/(?!\/)/;

function requestsRelativeUrl(text: string): boolean {
  return RELATIVE_REQUEST.test(text) && !/\bbaseURL\b/.test(text);
}

/** `import 'client-only'`: Next.js's marker of a module that must never run on the server. */
const CLIENT_ONLY_IMPORT = /^\s*import\s+['"]client-only['"]/m;

/**
 * A React hook that only a page runs: a server component cannot call useState or useEffect, nor the hooks of the
 * data-fetching, routing and state libraries built on them. With a `'use client'` directive, what makes a client
 * component (Next.js's app router renders a `.tsx` without either on the server).
 */
const CLIENT_HOOK =
  /\buse(?:State|Effect|LayoutEffect|Reducer|Ref|Callback|Memo|Context|Transition|SyncExternalStore|Query|Queries|InfiniteQuery|Mutation|QueryClient|SWR|Navigate|Location|SearchParams|Pathname|Selector|Dispatch)\s*[(<]/;

/**
 * The directive a module starts with (`'use client'`, `'use server'`, `'use strict'`), after any comments. A loop,
 * not a regular expression: one that skips comments backtracks without end on a file of many of them.
 */
export function leadingDirective(text: string): string | undefined {
  let i = 0;
  for (;;) {
    while (i < text.length && (text.charCodeAt(i) <= 32)) i++;
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else {
      return /^(['"])(use [a-z]+)\1/.exec(text.slice(i, i + 16))?.[2];
    }
  }
}

/** Imports of browser frameworks other than React (NON_REACT_MODULES). */
const NON_REACT_FRONTEND = new RegExp(String.raw`(?:from\s+|require\(\s*|import\s+)['"](?:${NON_REACT_MODULES})['"]`);

/**
 * Imports that only a Node process has: a file that uses them runs on the server, whatever else it touches (a
 * Playwright script's `page.evaluate(() => document.title)` uses the DOM of the page it drives). With Next.js's
 * server modules: a `route.tsx` rendering an OG image with JSX is a route handler.
 */
const NODE_IMPORT =
  /(?:from\s+|require\(\s*|import\s+)['"](?:node:[\w/]+|https?|net|tls|fs|fs\/promises|child_process|cluster|worker_threads|dgram|dns|express|koa|fastify|@hapi\/hapi|@nestjs\/[\w-]+|undici|ws|socket\.io|playwright(?:-core|-chromium|-firefox|-webkit)?|puppeteer(?:-core)?|jsdom|mongoose|pg|mysql2?|ioredis|bullmq|nodemailer|next\/server|next\/headers)['"]/;

/** `import type { Pool } from 'pg'`: erased when compiled, it loads nothing. */
const TYPE_IMPORT = /^\s*(?:import|export)\s+type\s[^;'"]*?from\s*['"][^'"]+['"]/gm;

/**
 * The Prisma client itself. Not any import of `@prisma/client`: its enums and `Prisma` namespace have a browser
 * build, and Next.js client components import them (papermark's forms import `Role`, `DocumentStorageType`).
 */
const PRISMA_CLIENT = /\bimport\s*\{[^}]*\bPrismaClient\b[^}]*\}\s*from\s*['"]@prisma\/client['"]|\brequire\(\s*['"]@prisma\/client['"]\s*\)|\bnew\s+PrismaClient\b/;

/**
 * A value import of Prisma's types and enums: no proof of either side, but a hint of the server strong enough to
 * outweigh where the file lives or what its package depends on (documenso's `packages/lib`, a package of React
 * helpers that also holds the server's upload code).
 */
const PRISMA_VALUES = /^\s*import\s+(?!type\s)[^;'"]*?from\s*['"]@prisma\/client['"]/m;

function importsNodeOnly(text: string): boolean {
  // A word searched first: a regular expression that starts with alternatives scans every position of the text.
  if (text.includes('@prisma/client') && PRISMA_CLIENT.test(text)) return true;
  if (!NODE_IMPORT.test(text)) return false;
  return !/\b(?:import|export)\s+type\s/.test(text) || NODE_IMPORT.test(text.replace(TYPE_IMPORT, ''));
}

/** Folders whose scripts are served to browsers. */
const BROWSER_FOLDER = /(^|\/)(src\/main\/(webapp|resources|js|frontend)|webapp|frontend|public|static|www|wwwroot|browser|client-only)\//;

/**
 * True when the file surely runs in a page, whatever router renders it: a client component, the DOM, a service
 * worker, a page-relative request, a browser framework other than React or a component kit. What such files alone
 * import is browser code too (facts/js-modules.ts); a JSX file or a React import alone is not enough, being a server
 * component in Next.js's app router. The caller has ruled out a Node import (importsNodeModule) first.
 */
export function surelyClient(path: string, text: string): boolean {
  return leadingDirective(text) === 'use client' || CLIENT_ONLY_IMPORT.test(text) || CLIENT_HOOK.test(text) || DOM_USE.test(text) || WORKER_SCOPE.test(text) || requestsRelativeUrl(text) || NON_REACT_FRONTEND.test(text) || BROWSER_FOLDER.test(path);
}

/** True when the file imports a Node-only module: it runs on a server, whatever else it touches. */
export function importsNodeModule(text: string): boolean {
  return importsNodeOnly(text);
}

/**
 * Why the JavaScript/TypeScript file at `path` runs in a browser, or undefined when it may run on a server. `text`
 * is the file's source.
 */
export function browserCodeReason(
  path: string,
  text: string,
  facts?: Pick<WorkspaceFacts, 'projects' | 'builds' | 'browserOnlyModules' | 'clientFolders'>,
): string | undefined {
  // The directive first: a client module is bundled for the browser whatever it imports (a Node module there fails
  // the build, so what it imports is only types and values both sides share).
  if (leadingDirective(text) === 'use client') return "a client module ('use client')";
  if (importsNodeOnly(text)) return undefined;
  if (FRONTEND_IMPORT.test(text)) return 'it imports a front-end framework';
  if (CLIENT_ONLY_IMPORT.test(text)) return "it imports 'client-only'";
  if (DOM_USE.test(text)) return 'it uses the DOM';
  if (WORKER_SCOPE.test(text)) return 'a service worker or browser-extension script';
  if (requestsRelativeUrl(text)) return 'it requests a URL relative to the page';
  if (BROWSER_CREDENTIALS.test(text)) return "it asks for the browser's cookies (withCredentials, credentials: 'include')";
  if (/\.[jt]sx$/.test(path)) return 'a JSX component';
  // React Native's platform files: `x.web.ts` is bundled only for the browser, `x.ios.ts`/`x.android.ts`/`x.native.ts`
  // only into the app (joplin's mobile shims).
  if (/\.(web|native|ios|android)\.[cm]?[jt]s$/.test(path)) return 'a React Native platform file (browser or app)';
  // What imports the module outweighs a Prisma import; a Prisma import outweighs where the file lives.
  if (facts && isListed(facts.browserOnlyModules, path)) return 'only browser code imports it';
  if (text.includes('@prisma/client') && PRISMA_VALUES.test(text)) return undefined;
  if (BROWSER_FOLDER.test(path)) return 'it lives in a folder of browser scripts';
  if (!facts) return undefined;
  if (facts.clientFolders.some((folder) => path.startsWith(folder))) return 'it lives in the client half of a client/server project';
  const project = projectOf(facts, path);
  const inside = project && path.startsWith(`${project}/`) ? path.slice(project.length + 1) : path;
  const builds = facts.builds.filter((b) => b.project === project);
  for (const build of builds) {
    if (build.browserFiles.includes(inside)) return `package.json names it a browser file`;
    if (build.frontend) return 'its package is a front-end package';
  }
  // JavaScript inside a Maven/Gradle project whose package.json (if any) names no server framework, or one only among
  // its devDependencies (opencast's Paella player, served by webpack's dev server and express while developed), runs
  // in pages.
  if (builds.some((b) => b.build === 'java') && !builds.some((b) => b.server && !b.devServerOnly)) return 'a script of a Java project';
  return undefined;
}
