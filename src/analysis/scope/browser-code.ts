// Which JavaScript/TypeScript files run in a browser. A `fetch` in a web page holds no server thread and no server
// socket: it has nothing to do with a server's CLOSE_WAIT pile, so the default policy hides findings there. Decided
// from what the file uses (the DOM, a front-end framework), where it lives (a web app's static folders, a Java
// project's resources) and what its package.json says (`browser` files, a front-end package).
import type { WorkspaceFacts } from '../facts/workspace';
import { projectOf } from '../facts/workspace';

/** Uses that only make sense in a page. `document.`/`window.` alone are not enough: servers name variables so. */
const DOM_USE =
  /\b(?:document\.(?:getElementById|getElementsBy\w+|querySelector(?:All)?|createElement|body|head|documentElement|cookie|location|addEventListener|readyState)|window\.(?:location|addEventListener|document|localStorage|sessionStorage|history|navigator|requestAnimationFrame|open\(|scrollTo|innerWidth|matchMedia)|(?:localStorage|sessionStorage)\.(?:getItem|setItem|removeItem)|new\s+XMLHttpRequest\b|\$\(\s*document\s*\)|jQuery\s*\()/;

/** `withCredentials: true`: an XMLHttpRequest, axios or EventSource option that asks a browser to send its cookies. */
const BROWSER_CREDENTIALS = /\bwithCredentials\s*:\s*true\b/;

/**
 * A service worker's global scope: `self.addEventListener('fetch', ...)` (not 'message': a Node object held in a
 * `self` variable may be an EventTarget), `self.skipWaiting()`, `importScripts(...)`, the Cache API. Node has no
 * `self`, no `caches` and no `importScripts`.
 */
const WORKER_SCOPE =
  /\bself\.(?:addEventListener\(\s*['"](?:install|activate|fetch|push|sync|notificationclick)['"]|skipWaiting\(|registration\b|clients\.claim\()|\bimportScripts\(|\bcaches\.(?:open|keys|match)\(/;

/**
 * Imports of front-end frameworks and browser-only libraries: React and its component libraries (`react-hot-toast`,
 * `@mui/material`; not react-email or react-pdf, which render on servers), Next.js's page-side modules.
 */
const FRONTEND_IMPORT =
  /(?:from\s+|require\(\s*|import\s*\(\s*|import\s+)['"](?:react|react-dom(?:\/[\w-]+)?|react-(?!email\b|pdf\b)[\w.-]+(?:\/[\w-]+)?|@(?:mui|chakra-ui|headlessui|radix-ui)\/[\w-]+|next\/(?:router|navigation|link|image|head|dynamic|script)|swr|zustand|vue|vue-router|vuex|pinia|@angular\/[\w-]+|svelte(?:\/[\w-]+)?|preact(?:\/[\w-]+)?|solid-js|lit|jquery|@?redux[\w/-]*|@tanstack\/react-query)['"]/;

/** `fetch('/api/users')`: a URL relative to the page. Node's fetch rejects it (there is no page to resolve it against). */
const RELATIVE_FETCH = /\bfetch\(\s*[`'"]\/(?!\/)/;

/** Imports that only a Node process has: a file that uses them runs on the server, whatever else it touches. */
const NODE_IMPORT =
  /(?:from\s+|require\(\s*|import\s+)['"](?:node:[\w/]+|https?|net|tls|fs|fs\/promises|child_process|cluster|worker_threads|dgram|dns|express|koa|fastify|@hapi\/hapi|@nestjs\/[\w-]+|undici|ws|socket\.io)['"]/;

/** Folders whose scripts are served to browsers. */
const BROWSER_FOLDER = /(^|\/)(src\/main\/(webapp|resources|js|frontend)|webapp|frontend|public|static|www|wwwroot|browser)\//;

/**
 * Why the JavaScript/TypeScript file at `path` runs in a browser, or undefined when it may run on a server. `text`
 * is the file's source.
 */
export function browserCodeReason(path: string, text: string, facts?: Pick<WorkspaceFacts, 'projects' | 'builds'>): string | undefined {
  if (NODE_IMPORT.test(text)) return undefined;
  if (FRONTEND_IMPORT.test(text)) return 'it imports a front-end framework';
  if (DOM_USE.test(text)) return 'it uses the DOM';
  if (WORKER_SCOPE.test(text)) return 'a service worker';
  if (RELATIVE_FETCH.test(text)) return 'it fetches a URL relative to the page';
  if (BROWSER_CREDENTIALS.test(text)) return "it asks for the browser's cookies (withCredentials)";
  if (/\.[jt]sx$/.test(path)) return 'a JSX component';
  if (BROWSER_FOLDER.test(path)) return 'it lives in a folder of browser scripts';
  if (!facts) return undefined;
  const project = projectOf(facts, path);
  const inside = project && path.startsWith(`${project}/`) ? path.slice(project.length + 1) : path;
  const builds = facts.builds.filter((b) => b.project === project);
  for (const build of builds) {
    if (build.browserFiles.includes(inside)) return `package.json names it a browser file`;
    if (build.frontend) return 'its package is a front-end package';
  }
  // JavaScript inside a Maven/Gradle project whose package.json (if any) names no server framework runs in pages.
  if (builds.some((b) => b.build === 'java') && !builds.some((b) => b.server)) return 'a script of a Java project';
  return undefined;
}
