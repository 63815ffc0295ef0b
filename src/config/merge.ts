/**
 * Deep merge of profile objects: a named profile over the top-level settings. Maps merge key
 * by key; lists and scalars (null included) replace. Pure: no `node:` imports.
 */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

/**
 * Set an own property even when the key is `__proto__`: keys come from profile files, and
 * a plain assignment of `__proto__` would change the object's prototype instead.
 */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `over` merged deep over `base`; neither is changed. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    put(out, k, isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v);
  }
  return out;
}

/** The value at `path` in `obj`, or undefined. */
export function getIn(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** A copy of `obj` with `value` at `path` (undefined removes the key); missing maps are made. */
export function setIn(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  if (path.length === 0) return obj;
  const [head, ...rest] = path;
  const out: Record<string, unknown> = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else put(out, head, value);
    return out;
  }
  const own = Object.prototype.hasOwnProperty.call(out, head) ? out[head] : undefined;
  const child = isPlainObject(own) ? own : {};
  put(out, head, setIn(child, rest, value));
  return out;
}

/** A deep copy of plain data (objects, lists, scalars). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
