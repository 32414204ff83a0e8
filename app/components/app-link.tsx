import type { AnchorHTMLAttributes } from "react";
import { followInApp } from "~/lib/in-app-navigation";

export type AppLinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href" | "onClick"> & {
  /** A path in the app, from its root ("/areas/…"). */
  to: string;
};

/**
 * A link to a page of the app: a plain `<a href>` on the server and without JavaScript, and once
 * the page has hydrated it opens the page in place, as Remix's `Link` does. Remix's `Link` resolves
 * its path and runs its router and prefetch hooks for every link it renders: 1.7 ms of a 100-row
 * list's server time (docs/performance.md, finding 39; decision 023).
 */
export function AppLink({ to, ...rest }: AppLinkProps) {
  // The given attributes go last: written after a spread, V8 copies the object the slow way for each link (finding 41).
  return <a href={to} onClick={followInApp} {...rest} />;
}
