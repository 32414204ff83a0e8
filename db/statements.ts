import { Column, getTableName, is, Param, Placeholder, SQL, sql, Subquery } from "drizzle-orm";
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
    if (!template) templates.set(session.constructor, (template = withRowsMappedByPlan(withValuesEncoded(build(db, placeholders as unknown as Placeholders<P>).prepare()))));
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

/**
 * `statement` for a statement over a list of rows (a multi-row insert): one statement per number
 * of rows, built the first time that number is asked for, with a placeholder for each value of
 * each row. The builder gets one set of placeholders a row (`rows[i].name`); the rows given to
 * the call fill them in, so each row must give every value the builder reads (null, not absent).
 *
 * drizzle otherwise builds a multi-row insert afresh on every call, asking `is(…)` of every value
 * of every row as it goes: 0.4 ms of CPU an email when an area's digests were queued, more than
 * the rest of queueing them (docs/performance.md, finding 47). The number of rows is bounded by
 * what the callers write together (an area's agencies), so are the statements kept.
 */
export function statementForRows<Row extends object, R>(build: (db: Db, rows: Placeholders<Row>[]) => Preparable<R>): (db: Db, rows: readonly Row[]) => Promise<R> {
  const byCount = statementByShape((db: Db, _p: Placeholders<Record<string, unknown>>, count: string) =>
    build(
      db,
      Array.from({ length: Number(count) }, (_, i) => new Proxy({} as Placeholders<Row>, { get: (_target, name) => (typeof name === "string" ? sql.placeholder(`${i}.${name}`) : undefined) })),
    ),
  );
  return (db, rows) => {
    const values: Record<string, unknown> = {};
    rows.forEach((row, i) => {
      for (const [name, value] of Object.entries(row)) values[`${i}.${name}`] = value;
    });
    return byCount(String(rows.length), db, values);
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

/** A column of a prepared query's result, as drizzle lists them: where it goes in the row object, and what it is. */
export interface SelectedField {
  path: string[];
  field: unknown;
}

/**
 * drizzle's row mapping (`mapResultRow`) for a statement's rows, worked out once for the statement
 * instead of again for every column of every row. drizzle asks `is(field, …)` up to four times a
 * column a row (each answer walks the field's class chain), then writes the row object key by key,
 * so no two rows share a shape until V8 has seen them all: 0.8 ms of a 100-row list's view. Here
 * each column's decoder is found once, columns whose decoder returns the value as it is are not
 * decoded, and the row object is written as one object literal by a function made for the
 * statement (docs/performance.md, finding 40; decision 024). The result is drizzle's, outer joins'
 * null objects included; tests/integration/statements.test.ts compares the two.
 */
type Decoder = { mapFromDriverValue(value: unknown): unknown };

export function plannedRowMapper(fields: SelectedField[], joinsNotNullableMap?: Record<string, boolean>): (rows: unknown[][]) => Record<string, unknown>[] {
  // The decoder drizzle picks (an SQL expression's `decoder` is not in drizzle's types).
  const decoderOf = (expression: unknown) => (expression as { decoder: Decoder }).decoder;
  const plan = fields.map(({ path, field }) => {
    const column = is(field, Column);
    const decoder: Decoder = column
      ? (field as Decoder)
      : is(field, SQL)
        ? decoderOf(field)
        : is(field, Subquery)
          ? decoderOf(field._.sql)
          : decoderOf((field as SQL.Aliased).sql);
    return {
      first: path[0],
      parents: path.slice(0, -1),
      last: path.length > 0 ? path[path.length - 1] : undefined,
      decoder,
      // The table of a column of a nested object, for drizzle's rule on outer joins (below).
      table: joinsNotNullableMap && column && path.length === 2 ? getTableName((field as Column).table) : null,
    };
  });
  // The row object is written as one object literal per statement (its keys fixed, so every row has
  // the same shape), by a function made once for the statement. Keys are quoted as JSON strings and
  // decoders passed in as values: nothing of a row's content becomes code.
  const identity = Column.prototype.mapFromDriverValue;
  const decoders = plan.map((c) => c.decoder);
  const valueOf = (i: number) => (decoders[i].mapFromDriverValue === identity ? `row[${i}]` : `(row[${i}] === null ? null : d[${i}].mapFromDriverValue(row[${i}]))`);
  type Tree = Map<string, Tree | number>;
  const tree: Tree = new Map();
  plan.forEach((c, i) => {
    if (c.last === undefined) return;
    // In an object literal "__proto__" would set the prototype; no query of the app selects one.
    if ([...c.parents, c.last].includes("__proto__")) throw new Error("plannedRowMapper: a selected field is named __proto__");
    let node = tree;
    for (const chunk of c.parents) {
      let next = node.get(chunk);
      if (!(next instanceof Map)) node.set(chunk, (next = new Map()));
      node = next;
    }
    node.set(c.last, i);
  });
  const literal = (node: Tree): string => `{${[...node].map(([key, v]) => `${JSON.stringify(key)}: ${typeof v === "number" ? valueOf(v) : literal(v)}`).join(", ")}}`;
  const build = new Function("d", `return function mapRow(row) { return ${literal(tree)}; };`) as (d: Decoder[]) => (row: unknown[]) => Record<string, unknown>;
  const mapRow = build(decoders);
  // drizzle's nullify rule for outer joins, as drizzle applies it: an object whose columns all come
  // from one table that the join may leave out is null when the first of those columns is.
  const groups = new Map<string, { table: string | false; first: number }>();
  plan.forEach((c, i) => {
    if (c.table === null || c.last === undefined) return;
    const group = groups.get(c.first);
    if (!group) groups.set(c.first, { table: c.table, first: i });
    else if (group.table !== c.table) group.table = false;
  });
  const nullable = [...groups].filter(([, g]) => g.table !== false && !joinsNotNullableMap?.[g.table]).map(([name, g]) => ({ name, first: g.first }));
  if (nullable.length === 0) return (rows) => rows.map(mapRow);
  return (rows) =>
    rows.map((row) => {
      const result = mapRow(row);
      for (const { name, first } of nullable) if (row[first] === null) result[name] = null;
      return result;
    });
}

/** The template maps its rows by `plannedRowMapper`, unless drizzle maps them its own way (relational queries) or returns them as they come. */
function withRowsMappedByPlan<R>(prepared: Prepared<R>): Prepared<R> {
  const query = prepared as unknown as { fields?: SelectedField[]; joinsNotNullableMap?: Record<string, boolean>; customResultMapper?: unknown };
  if (query.fields && !query.customResultMapper) query.customResultMapper = plannedRowMapper(query.fields, query.joinsNotNullableMap);
  return prepared;
}
