/**
 * `make`, asked once per key. `store` keeps the answers: a Map by default, a WeakMap for objects whose
 * answers should go when they do. (An answer of undefined is asked again.)
 */
export function memoize<K, V>(
  make: (key: K) => V,
  store: { get(key: K): V | undefined; set(key: K, value: V): unknown } = new Map<K, V>(),
): (key: K) => V {
  return (key) => {
    let value = store.get(key);
    if (value === undefined) {
      value = make(key);
      store.set(key, value);
    }
    return value;
  };
}
