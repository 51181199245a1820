// Which Java classes of the workspace no other file refers to. A plain utility class that nothing imports, names or
// mentions is dead code (alibaba/canal kept a second HttpHelper for years after its last caller went): a leak there
// is not one any maintainer fixes, so its findings are strict only. Read off each file's text (no parse): its
// package, imports, fully qualified names and capitalised words; a class is referenced when another file uses its
// simple name where that name resolves to it (same package, an import of it or of its package), or its full name.
// Classes that something else may reach without naming them are never judged: one with an annotation that may be how
// it is reached (a controller, a scheduled or listening method, a Jenkins extension; a plain `@Service` nobody injects
// is judged), one that extends or implements a type (a plugin, a servlet, a task loaded by reflection or a service
// loader), and a class with a `main` method. Not seen: files the scan does not read (a
// Spring XML bean definition, a JSP, Kotlin): a plain class used only from those is taken for dead, strict only.

/** What one Java file declares and what it may refer to. */
export interface JavaReferences {
  readonly file: string;
  readonly package: string;
  /** The names of the types the file declares (nested ones too). */
  readonly declares: readonly string[];
  /** True when the file's class could be dead code: a plain class (see the header), judged by the others' references. */
  readonly plain: boolean;
  /** Capitalised words of the text that are not its own types' names: the simple names it may refer to. */
  readonly words: readonly string[];
  /** Fully qualified names it imports or spells out (`a.b.C`, and `a.b.C` for `import static a.b.C.m`). */
  readonly qualified: readonly string[];
  /** Packages it imports whole (`import a.b.*`). */
  readonly wildcards: readonly string[];
}

const PACKAGE = /^\s*package\s+([\w.]+)\s*;/m;
const IMPORT = /^\s*import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;/gm;
const DECLARATION = /\b(?:class|interface|enum|record)\s+[A-Z]\w*/g;
const WORD = /\b[A-Z]\w*\b/g;
const QUALIFIED = /\b(?:[a-z_]\w*\.)+[A-Z]\w*/g;
const ANNOTATION = /@[A-Z]\w*/g;

/**
 * The text with its comments left out (string and character literals kept): a call left in a comment
 * (`// CaptchaSolver.solve(...)`) or a `{@link X}` names no class the code uses.
 */
export function withoutComments(text: string): string {
  if (!text.includes('//') && !text.includes('/*')) return text;
  let out = '';
  let from = 0;
  const special = /["'/]/g;
  for (let m = special.exec(text); m !== null; m = special.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c !== 47 /* / */) {
      // A literal: up to its unescaped closing quote (a text block's `"""` ends at the next `"""`).
      const block = c === 34 && text.startsWith('"""', i);
      const end = block ? text.indexOf('"""', i + 3) : closingQuote(text, i, c);
      special.lastIndex = end < 0 ? text.length : block ? end + 3 : end + 1;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (next !== 47 && next !== 42) continue;
    let end = next === 47 ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
    end = end < 0 ? text.length : next === 47 ? end : end + 2;
    out += text.slice(from, i) + ' ';
    from = end;
    special.lastIndex = end;
  }
  return out + text.slice(from);
}

/** The index of the quote that closes the literal opened at `start`, or of the line's end when it is not closed there. */
function closingQuote(text: string, start: number, quote: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === quote || c === 10) return i;
  }
  return -1;
}

/** The references of a Java file, read off its text (comments left out, unless `code` has them out already). */
export function javaReferencesOf(file: string, code: string, commentsOut = false): JavaReferences {
  const text = commentsOut ? code : withoutComments(code);
  const pkg = PACKAGE.exec(text)?.[1] ?? '';
  const own = new Set((text.match(DECLARATION) ?? []).map((d) => d.slice(d.search(/\s/)).trim()));
  const qualified = new Set<string>();
  const wildcards = new Set<string>();
  // Imports come before the first type's body.
  const brace = text.indexOf('{');
  for (const [, isStatic, name, star] of (brace < 0 ? text : text.slice(0, brace)).matchAll(IMPORT)) {
    if (isStatic) qualified.add(star ? name : name.slice(0, name.lastIndexOf('.')));
    else if (star) wildcards.add(name);
    else qualified.add(name);
  }
  for (const name of text.match(QUALIFIED) ?? []) qualified.add(name);
  // `import a.b.Outer.Inner`, `a.b.Outer.Inner.X`: each capitalised prefix is a class the file names.
  for (const name of [...qualified]) {
    const parts = name.split('.');
    for (let i = parts.length - 1; i > 0; i--) if (/^[A-Z]/.test(parts[i - 1])) qualified.add(parts.slice(0, i).join('.'));
  }
  const words = new Set(text.match(WORD));
  for (const name of own) words.delete(name);
  return { file, package: pkg, declares: [...own], plain: isPlainClass(file, text), words: [...words], qualified: [...qualified], wildcards: [...wildcards] };
}

/**
 * Annotations that make nothing call a class: a Spring bean nobody injects is never called (MaxKey's JWKSetCacheService),
 * and injection, nullness, Lombok and the compiler's own change nothing. Any other (`@RestController`, `@Scheduled`,
 * `@KafkaListener`, `@Bean`, `@PostConstruct`, a project's own) may be how the class is reached.
 */
export const INERT_ANNOTATION =
  /^@(Service|Component|Repository|Override|Autowired|Resource|Inject|Value|Qualifier|Deprecated|SuppressWarnings|SafeVarargs|FunctionalInterface|Nullable|NonNull|NotNull|Nonnull|Transactional|Slf4j|Log4j2?|CommonsLog|Getter|Setter|Data|ToString|EqualsAndHashCode|RequiredArgsConstructor|AllArgsConstructor|NoArgsConstructor|Builder)$/;

/**
 * The file's own class (named like the file) is a plain class: no supertype, no `main`, and no annotation in the
 * file but inert ones (see INERT_ANNOTATION; Javadoc's lowercase tags are none).
 */
function isPlainClass(file: string, text: string): boolean {
  if (/\bstatic\s+void\s+main\s*\(/.test(text)) return false;
  const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.java$/, '').replace(/\$/g, '\\$');
  const header = new RegExp(`\\bclass\\s+${name}\\b([^{;]*)\\{`).exec(text);
  if (!header || /\b(extends|implements|permits)\b/.test(header[1])) return false;
  return (text.match(ANNOTATION) ?? []).every((a) => INERT_ANNOTATION.test(a));
}

/**
 * Dead code is a property of a code base, not of a sample: a workspace of a few classes (a demo, a class written to
 * try the analyzer, a test's temporary project) has no callers yet, and nothing is judged there.
 */
export const MIN_JAVA_FILES_FOR_DEAD_CODE = 50;

/**
 * The files whose classes no other file refers to, among the plain ones (see the header). `all` holds every Java
 * file of the workspace, tests included: a class only its tests use is still meant to be used.
 */
export function unreferencedJavaFiles(all: readonly JavaReferences[]): string[] {
  if (all.length < MIN_JAVA_FILES_FOR_DEAD_CODE) return [];
  const candidates = new Map<string, JavaReferences[]>();
  for (const f of all) {
    if (!f.plain) continue;
    for (const name of f.declares) {
      const list = candidates.get(name);
      if (list) list.push(f);
      else candidates.set(name, [f]);
    }
  }
  if (candidates.size === 0) return [];
  const referenced = new Set<string>();
  for (const f of all) {
    const qualified = new Set(f.qualified);
    const wildcards = new Set(f.wildcards);
    for (const word of f.words) {
      for (const c of candidates.get(word) ?? []) {
        if (c.file === f.file || referenced.has(c.file)) continue;
        if (c.package === f.package || wildcards.has(c.package) || qualified.has(c.package ? `${c.package}.${word}` : word)) referenced.add(c.file);
      }
    }
  }
  return all.filter((f) => f.plain && !referenced.has(f.file)).map((f) => f.file);
}
