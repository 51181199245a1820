// The calls that cannot leave a resource open by throwing, as tables of names: logging, getters of what already
// arrived, null-safe tests, making an empty collection. The path walk (paths.ts) asks them for each call between an
// acquisition and its release.

/** Logging calls: they do not throw, and a resource given to them stays ours. */
export const LOGGING_RECEIVER = /^(log|logger|LOG|LOGGER|Log|console|System\.out|System\.err|this\.log|this\.logger)$/;
export const LOGGING_METHOD = /^(trace|debug|info|warn|warning|error|fatal|severe|fine|finer|finest|log|println|print|printf|format)$/;

/**
 * `log.info(...)`, `System.err.println(...)`: a call of method `name` on a receiver written as `receiver`; and an
 * exception's `e.printStackTrace()`, whatever the exception is called.
 */
export function isLoggingCall(name: string, receiver: string | undefined): boolean {
  if (name === 'printStackTrace') return receiver !== undefined;
  return receiver !== undefined && LOGGING_METHOD.test(name) && LOGGING_RECEIVER.test(receiver);
}

/**
 * `new ArrayList<>()`, `new StringBuilder()`: an empty collection, builder or counter cannot fail to be made; nor can a
 * type token (`new TypeReference<Map<String, Object>>() {}`, Jackson's, Spring's, Gson's, JAX-RS's GenericType).
 */
export const EMPTY_HOLDER =
  /^(ArrayList|LinkedList|HashMap|LinkedHashMap|TreeMap|HashSet|LinkedHashSet|TreeSet|ArrayDeque|ConcurrentHashMap|CopyOnWriteArrayList|StringBuilder|StringBuffer|Object|AtomicInteger|AtomicLong|AtomicBoolean|AtomicReference|TypeReference|ParameterizedTypeReference|TypeToken|GenericType)$/;

/** A getter's name: what it returns was already read (a status line's code, a header's value). */
export const PLAIN_GETTER = /^(get|is)[A-Z]\w*$/;
/**
 * `HttpResponseStatus.OK`, `StandardCharsets.UTF_8`, `Response.Status.OK` (a nested enum's): a constant (an enum's or
 * a class's static final field)...
 */
const CONSTANT = /^[A-Z]\w*(?:\.[A-Z]\w*)*\.[A-Z][A-Z0-9_]*$/;
/** ...whose getters (`code()`, `value()`, `name()`) read what it holds. */
const CONSTANT_GETTER = /^((get|is)[A-Z]\w*|code|value|name|ordinal|toString)$/;
/**
 * `OK.getStatusCode()` with `Response.Status.OK` statically imported (GOV.UK Pay's clients): a bare constant is no
 * more than a name, so only what a status enum answers counts.
 */
const BARE_CONSTANT = /^[A-Z][A-Z0-9_]*[A-Z0-9]$/;
const STATUS_GETTER = /^(getStatusCode|getCode|code|value|name|ordinal|getReasonPhrase|reasonPhrase|getFamily|toString)$/;

/** `HttpStatus.OK.value()`, `OK.getStatusCode()`: a getter, without arguments, of a constant written `receiver`. */
export function isConstantGetter(receiver: string, name: string, args: number): boolean {
  return args === 0 && ((CONSTANT.test(receiver) && CONSTANT_GETTER.test(name)) || (BARE_CONSTANT.test(receiver) && STATUS_GETTER.test(name)));
}

/** Getters that may return null: a call on their result may throw (`getFirstHeader("ETag").getValue()`). */
export const NULLABLE_GETTER = /^get(First|Last)?Header$/;
/** Null-safe tests of the JDK, Apache Commons, Spring, Guava and Hutool (`Objects.equals(a, b)`, `StringUtils.isBlank(s)`). */
export const NULL_SAFE_UTILITY = /^([a-z]\w*\.)*(Objects|StringUtils|Strings|StrUtil|CharSequenceUtil|TextUtils)$/;
export const NULL_SAFE_TEST =
  /^(equals|deepEquals|isNull|nonNull|hash|hashCode|isEmpty|isNotEmpty|isBlank|isNotBlank|hasText|hasLength|isNullOrEmpty|nullToEmpty|equalsIgnoreCase|equalsAny\w*|startsWith\w*|endsWith\w*|contains\w*|defaultString|defaultIfBlank|defaultIfEmpty)$/;
/** Tests of a string that cannot throw once it is known not to be null and the arguments are literals. */
export const STRING_TEST = /^(equals|equalsIgnoreCase|contentEquals|contains|startsWith|endsWith|isEmpty|isBlank|length|matches|indexOf|lastIndexOf|toLowerCase|toUpperCase|trim|strip)$/;
