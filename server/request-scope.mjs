// One scope per HTTP request that only reads (GET/HEAD), shared by every loader of that request: Remix
// hands each loader its own copy of the Request, so a memo keyed by the Request object misses. Things a
// page asks for several times (the reader's session, a school, its region's ceiling) are then looked up
// once per request (app/lib/request-scope.server.ts). Requests that write (actions) get no scope, so
// nothing read before a write is reused after it.
import { AsyncLocalStorage } from "node:async_hooks";

const KEY = Symbol.for("learning-space.request-scope");

/** @returns {AsyncLocalStorage<Map<string, unknown>>} */
export function requestScopeStorage() {
  // On globalThis: the built app (a separate module graph) reaches the same storage.
  return (globalThis[KEY] ??= new AsyncLocalStorage());
}

/** Express middleware: GET and HEAD requests run in a fresh scope. */
export function requestScope(req, _res, next) {
  if (req.method !== "GET" && req.method !== "HEAD") return next();
  requestScopeStorage().run(new Map(), next);
}
