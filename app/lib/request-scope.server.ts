import { AsyncLocalStorage } from "node:async_hooks";

type Scope = Map<string, Promise<unknown>>;
const KEY = Symbol.for("panel.requestScope");
type WithScope = typeof globalThis & { [KEY]?: AsyncLocalStorage<Scope> };

// The server entry and the Remix build are separate module graphs: one storage, on globalThis.
function storage(): AsyncLocalStorage<Scope> {
  const g = globalThis as WithScope;
  g[KEY] ??= new AsyncLocalStorage<Scope>();
  return g[KEY];
}

/**
 * Run one HTTP request's handling in its own scope. The server entry does this
 * for reads (GET and HEAD) only: an action may change what a memoised value
 * would say, so writes always look again.
 */
export function runInRequestScope<T>(fn: () => T): T {
  return storage().run(new Map(), fn);
}

/**
 * The value of `make` computed once per request scope (e.g. the signed-in user,
 * read by the root, layout and page loaders of one page view). Outside a scope
 * (tests calling loaders directly, scripts) it is computed every time.
 */
export function memoInRequest<T>(key: string, make: () => PromiseLike<T>): Promise<T> {
  const scope = storage().getStore();
  // Promise.resolve settles a thenable once: a drizzle query builder runs its query each time
  // it is awaited, so memoising the builder itself would still query once per loader.
  if (!scope) return Promise.resolve(make());
  let value = scope.get(key) as Promise<T> | undefined;
  if (!value) {
    value = Promise.resolve(make());
    scope.set(key, value);
  }
  return value;
}

/**
 * Give `memoInRequest(key, …)` its value before anyone asks, when a read made for another purpose
 * has it already (the panels of the signed-in user's memberships). Outside a request scope, and
 * when the key has a value, it does nothing.
 */
export function rememberInRequest<T>(key: string, value: T): void {
  const scope = storage().getStore();
  if (scope && !scope.has(key)) scope.set(key, Promise.resolve(value));
}
