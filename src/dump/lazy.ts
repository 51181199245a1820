// Parts of the report built the first time they are read: what the text report and the panel never read costs
// nothing for them, and --format json streams the long lists without building them at all (see json.ts).

const unbuilt = new WeakMap<object, Map<string, () => Iterable<unknown>>>();

/** Defines `target[key]` as the array of `items()`, built the first time it is read and kept from then on. */
export function lazyArray<T>(target: object, key: string, items: () => Iterable<T>): void {
  let sources = unbuilt.get(target);
  if (sources === undefined) unbuilt.set(target, (sources = new Map()));
  sources.set(key, items);
  const settle = (value: T[]): T[] => {
    sources.delete(key);
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => settle(Array.from(items())),
    set: (value: T[]) => settle(value),
  });
}

/** Defines `target[key]` as `make()`, made the first time it is read and kept from then on. */
export function lazyValue<T>(target: object, key: string, make: () => T): void {
  const settle = (value: T): T => {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => settle(make()), set: (value: T) => settle(value) });
}

/** The items of `target[key]` when that array has not been built yet: iterate them without building it. */
export function unbuiltItems(target: object, key: string): (() => Iterable<unknown>) | undefined {
  return unbuilt.get(target)?.get(key);
}

