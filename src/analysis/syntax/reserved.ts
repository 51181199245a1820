// Reserved words: no method, function or variable can be named by one, so a name that is one needs no looking up.

/** Java's keywords and literals: never an identifier. */
export const JAVA_RESERVED: ReadonlySet<string> = new Set(
  (
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for ' +
    'goto if implements import instanceof int interface long native new package private protected public return short static strictfp ' +
    'super switch synchronized this throw throws transient try void volatile while true false null'
  ).split(' '),
);

/** JavaScript's reserved words in any code (a property or method may still be named by one: `map.delete()`). */
export const JS_RESERVED: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with'
  ).split(' '),
);

/** JavaScript's reserved words in strict code (modules and classes are): JS_RESERVED and these. */
export const JS_STRICT_RESERVED: ReadonlySet<string> = new Set([
  ...JS_RESERVED,
  ...'await implements interface let package private protected public static yield'.split(' '),
]);
