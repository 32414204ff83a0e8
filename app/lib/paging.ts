/** The page a list was asked for in `?page=`: 1 when absent or not a positive whole number. */
export function requestedPage(url: URL): number {
  const requested = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  return Number.isInteger(requested) && requested > 0 ? requested : 1;
}

export interface Paging {
  /** The first and last row shown, counting from 1 (0 and 0 when there are none, as on a page past the end). */
  from: number;
  to: number;
  total: number;
  /** The neighbouring pages' addresses; null at either end. A page past the end links back to the last page. */
  previous: string | null;
  next: string | null;
}

/**
 * What page `page` of a list of `total` rows, `size` at a time, shows, and the links either side:
 * `path` with the list's own query (its filters, kept on every page) and `page` when it is not the first.
 */
export function paging(options: { page: number; size: number; total: number; path: string; query?: URLSearchParams }): Paging {
  const { page, size, total, path } = options;
  const pages = Math.max(1, Math.ceil(total / size));
  const shown = page <= pages && total > 0;
  const href = (n: number) => {
    const query = new URLSearchParams(options.query);
    if (n > 1) query.set("page", String(n));
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  return {
    from: shown ? (page - 1) * size + 1 : 0,
    to: shown ? Math.min(total, page * size) : 0,
    total,
    previous: page > 1 ? href(Math.min(page - 1, pages)) : null,
    next: page < pages ? href(page + 1) : null,
  };
}
