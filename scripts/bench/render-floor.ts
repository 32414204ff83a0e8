import type { ServerBuild } from "@remix-run/node";

type Loader = NonNullable<ServerBuild["routes"][string]["module"]["loader"]>;

/**
 * The build with every route's loader answering from memory: the first request for a URL with a
 * cookie runs the real loader, and the data it gives is handed back for every later request for the
 * same route, URL and cookie. A Response (a redirect, a file) is never remembered. The benchmark's
 * render floor serves the pages from this build: the same server and render with no SQL at all
 * (docs/performance.md, finding 49). It exists for the benchmark and is never served to people.
 */
export function rememberLoaders(build: ServerBuild): ServerBuild {
  const remembered = new Map<string, unknown>();
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const loader = route.module.loader;
    if (!loader) {
      routes[id] = route;
      continue;
    }
    const answer: Loader = async (args) => {
      const key = `${id}\n${args.request.url}\n${args.request.headers.get("cookie") ?? ""}`;
      if (remembered.has(key)) return remembered.get(key);
      const data = await loader(args);
      if (!(data instanceof Response)) remembered.set(key, data);
      return data;
    };
    // The route's module once, for every request: the server's route tree is kept while its modules stay the same (finding 45).
    routes[id] = { ...route, module: { ...route.module, loader: answer } };
  }
  return { ...build, routes };
}
