import { is, Param, Placeholder, sql } from "drizzle-orm";
import type { Db } from "./client";

/** The placeholders a statement's builder writes its values as: `p.id` stands for the `id` value. */
export type Placeholders<P> = { readonly [K in keyof P]: Placeholder<K & string, P[K]> };

/** What drizzle can prepare: a select, insert, update or delete, or a relational query. */
interface Preparable<R> {
  prepare(name?: string): Prepared<R>;
}
interface Prepared<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

const placeholders = new Proxy({} as Record<string, Placeholder>, {
  get: (_target, name) => (typeof name === "string" ? sql.placeholder(name) : undefined),
});

/** The driver session behind a database or an open transaction (postgres.js or PGlite), and its client. */
function sessionOf(db: Db): { client: unknown; constructor: unknown } {
  const session = (db as unknown as { session?: { client?: unknown; constructor: unknown } }).session;
  if (!session?.client) throw new Error("statement(): this database handle has no driver client");
  return session as { client: unknown; constructor: unknown };
}

/**
 * A statement built by drizzle once per process and run many times: on the database or
 * on whichever transaction it is given, with the values filled in for its placeholders.
 *
 * drizzle otherwise builds every query afresh on every call: 0.1–0.3 ms of CPU for each
 * (walking the query's tree and escaping every column), more than PostgreSQL takes to run
 * most of them (docs/performance.md, finding 21). Here the builder runs once, with a
 * placeholder for each value (`p.id`), and drizzle's prepared query is kept; each call runs
 * it through the given handle's own client, so a statement inside a transaction stays in it.
 *
 * Everything that changes between calls must be a placeholder: a constant written into the
 * builder (a status list, `new Date()`) is fixed at the first call. In insert values and
 * update sets a placeholder's value is encoded by its column; in a comparison (`eq(col, p.x)`)
 * drizzle binds no column, so the value goes to the driver as it is, but for a Date, which is
 * sent as an ISO string as drizzle's timestamp columns send it (the postgres.js client drizzle
 * sets up does not serialise a Date itself).
 *
 * @example
 * const meetingInArea = statement((db, p: Placeholders<{ id: string; areaId: string }>) =>
 *   db.select().from(meetings).where(and(eq(meetings.id, p.id), eq(meetings.areaId, p.areaId))));
 * const [meeting] = await meetingInArea(tx, { id, areaId });
 */
export function statement<P extends object, R>(build: (db: Db, p: Placeholders<P>) => Preparable<R>): (db: Db, values: P) => Promise<R> {
  // One template per driver (its session class): a process may hold both a PGlite and a PostgreSQL handle.
  const templates = new Map<unknown, Prepared<R>>();
  return (db, values) => {
    const session = sessionOf(db);
    let template = templates.get(session.constructor);
    if (!template) templates.set(session.constructor, (template = withValuesEncoded(build(db, placeholders as unknown as Placeholders<P>).prepare())));
    const onThisHandle: Prepared<R> = Object.create(template, { client: { value: session.client } });
    return onThisHandle.execute(values as Record<string, unknown>);
  };
}

/**
 * `statement` for a query whose shape varies with a few switches (which filters are on): one
 * statement per shape, built the first time that shape is asked for. `shape` must name every
 * switch the builder reads, so two calls with the same shape build the same query.
 */
export function statementByShape<S extends string, P extends object, R>(build: (db: Db, p: Placeholders<P>, shape: S) => Preparable<R>): (shape: S, db: Db, values: P) => Promise<R> {
  const byShape = new Map<S, (db: Db, values: P) => Promise<R>>();
  return (shape, db, values) => {
    let run = byShape.get(shape);
    if (!run) byShape.set(shape, (run = statement((d, p: Placeholders<P>) => build(d, p, shape))));
    return run(db, values);
  };
}

/** Sends a Date given for a bare placeholder (one in a comparison) as drizzle's timestamp columns send it. */
const dateEncoder = { mapToDriverValue: (value: unknown) => (value instanceof Date ? value.toISOString() : value) };

/**
 * The template's parameters as a built query would send them: a bare placeholder encodes a Date
 * (`dateEncoder`), and a column's encoder is not asked to encode a null (drizzle skips it for a
 * null written straight into a query, but not for a null given for a placeholder).
 */
function withValuesEncoded<R>(prepared: Prepared<R>): Prepared<R> {
  const query = prepared as unknown as { params: unknown[] };
  query.params = query.params.map((param) => {
    if (is(param, Placeholder)) return new Param(param, dateEncoder);
    if (is(param, Param) && is(param.value, Placeholder)) {
      const { encoder } = param;
      return new Param(param.value, { mapToDriverValue: (value: unknown) => (value === null ? null : encoder.mapToDriverValue(value)) });
    }
    return param;
  });
  return prepared;
}
