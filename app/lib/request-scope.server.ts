// Memos that last one read-only request (server/request-scope.mjs opens the scope; outside one, as in
// tests, scripts and actions, every call computes afresh).
import type { AsyncLocalStorage } from "node:async_hooks";

const KEY = Symbol.for("learning-space.request-scope");

function scope(): Map<string, unknown> | undefined {
  const storage = (globalThis as Record<symbol, AsyncLocalStorage<Map<string, unknown>> | undefined>)[KEY];
  return storage?.getStore();
}

/**
 * `compute()` once per read-only request for this key; afresh when there is no such request. An async
 * `compute` is kept as its promise, so callers at the same time share one query.
 */
export function oncePerRequest<T>(key: string, compute: () => T): T {
  const memo = scope();
  if (!memo) return compute();
  if (memo.has(key)) return memo.get(key) as T;
  const value = compute();
  memo.set(key, value);
  return value;
}

const ABSENT = Symbol("absent");

/**
 * Rows by id, each fetched at most once per read-only request: `fetch` is asked only for the ids not
 * yet seen in this request (all of them outside one), in one call. Ids it does not answer stay absent.
 */
export async function manyPerRequest<V>(kind: string, ids: Iterable<string>, fetch: (missing: string[]) => Map<string, V> | Promise<Map<string, V>>): Promise<Map<string, V>> {
  const wanted = [...new Set(ids)];
  const memo = scope();
  if (!memo) return wanted.length ? fetch(wanted) : new Map();
  const missing = wanted.filter((id) => !memo.has(`${kind}:${id}`));
  if (missing.length) {
    const fetched = await fetch(missing);
    for (const id of missing) memo.set(`${kind}:${id}`, fetched.has(id) ? fetched.get(id) : ABSENT);
  }
  const found = new Map<string, V>();
  for (const id of wanted) {
    const value = memo.get(`${kind}:${id}`);
    if (value !== ABSENT) found.set(id, value as V);
  }
  return found;
}

/** Tells the request what is already known of an id (manyPerRequest's `kind`), so nobody fetches it again. */
export function knownForRequest<V>(kind: string, id: string, value: V): void {
  const memo = scope();
  if (memo && !memo.has(`${kind}:${id}`)) memo.set(`${kind}:${id}`, value);
}
