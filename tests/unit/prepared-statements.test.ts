import { eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { drizzleOverPostgres, preparingStatements } from "../../db/client";
import { agencies } from "../../db/schema";

interface Sent {
  text: string;
  params: unknown[];
  options: Record<string, unknown>;
  scope: string;
}

/**
 * A stand-in for a postgres.js client with the parts drizzle uses (`unsafe`, `begin`, `savepoint`,
 * `reserve`, the type parsers), recording what each statement was sent with and on which scope.
 */
function fakeClient(sent: Sent[], scope = "pool"): postgres.Sql {
  const result = () => Object.assign(Promise.resolve([]), { values: () => Promise.resolve([]) });
  const client = {
    options: { parsers: {}, serializers: {} },
    unsafe: (text: string, params: unknown[] = [], options: Record<string, unknown> = {}) => {
      sent.push({ text, params, options, scope });
      return result();
    },
    begin: (fn: (sql: postgres.Sql) => unknown) => Promise.resolve(fn(fakeClient(sent, "transaction"))),
    savepoint: (fn: (sql: postgres.Sql) => unknown) => Promise.resolve(fn(fakeClient(sent, "savepoint"))),
    reserve: async () => fakeClient(sent, "reserved"),
  };
  return client as unknown as postgres.Sql;
}

describe("preparingStatements", () => {
  it("sends every drizzle statement as a prepared statement: on the pool, in a transaction and in a savepoint", async () => {
    const sent: Sent[] = [];
    const db = drizzleOverPostgres(fakeClient(sent));
    const areaId = "9cff86d8-9eea-4aea-8e1b-0d6712e43329";
    await db.select().from(agencies).where(eq(agencies.areaId, areaId));
    await db.transaction(async (tx) => {
      await Promise.all([tx.select({ id: agencies.id }).from(agencies).where(eq(agencies.areaId, areaId)), tx.update(agencies).set({ name: "Police" }).where(eq(agencies.id, areaId))]);
      await tx.transaction(async (inner) => {
        await inner.select({ id: agencies.id }).from(agencies).where(eq(agencies.areaId, areaId));
      });
    });
    expect(sent.map((s) => s.scope)).toEqual(["pool", "transaction", "transaction", "savepoint"]);
    expect(sent.map((s) => s.text)).toEqual([expect.stringMatching(/^select .* from "agencies" where "agencies"\."area_id" = \$1$/), expect.stringMatching(/^select "id" from "agencies"/), expect.stringMatching(/^update "agencies" set "name" = \$1/), expect.stringMatching(/^select "id" from "agencies"/)]);
    for (const statement of sent) expect(statement.options.prepare, statement.text).toBe(true);
    expect(sent[2].params).toEqual(["Police", areaId]);
  });

  it("prepares on a reserved connection, and leaves everything else of the client as it is", async () => {
    const sent: Sent[] = [];
    const raw = fakeClient(sent);
    const client = preparingStatements(raw);
    expect(client.options).toBe(raw.options);
    const reserved = await client.reserve();
    await reserved.unsafe("select $1::int", [1], { prepare: false });
    expect(sent).toEqual([{ text: "select $1::int", params: [1], options: { prepare: true }, scope: "reserved" }]);
  });

  it("gives postgres.js's own queries the prepare option, and they stay lazy until awaited", () => {
    const sql = postgres("postgres://nobody@127.0.0.1:1/none", { max: 1 });
    const query = preparingStatements(sql).unsafe("select $1::int as n", [1]) as unknown as { options: { prepare: boolean } };
    expect(query.options.prepare).toBe(true);
    const plain = sql.unsafe("select $1::int as n", [1]) as unknown as { options: { prepare: boolean } };
    expect(plain.options.prepare).toBe(false);
  });
});
