import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { executeRows, getDb, getSharedDbHandle } from "#db/client";
import { outbox } from "#db/schema";
import { queueEmail } from "~/models/outbox.server";

describe("outbox bodies on disk", () => {
  it("are compressed with lz4 on PostgreSQL (pglz on the embedded database, which lacks it) and read back whole", async () => {
    const rows = await executeRows<{ attname: string; attcompression: string }>(
      getDb(),
      sql`select attname, attcompression from pg_attribute where attrelid = 'outbox'::regclass and attname in ('html', 'text') order by attname`,
    );
    const expected = getSharedDbHandle().driver === "postgres" ? "l" : "";
    expect(rows).toEqual([
      { attname: "html", attcompression: expected },
      { attname: "text", attcompression: expected },
    ]);
    // Large enough to be compressed and stored out of line.
    const html = `<p>${"Overdue action: refer the perpetrator to a behaviour change programme. ".repeat(400)}</p>`;
    const text = "Due Thursday, 22 June 2017. ".repeat(600);
    const queued = await getDb().transaction((tx) => queueEmail(tx as never, { kind: "digest", to: "police@secure.example", subject: "Digest", html, text, idempotencyKey: "storage-test" }));
    const [row] = await getDb().select({ html: outbox.html, text: outbox.text }).from(outbox).where(sql`${outbox.id} = ${queued!.id}`);
    expect(row).toEqual({ html, text });
  });
});
