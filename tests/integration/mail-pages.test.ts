import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { agencies, areas, auditEvents, digests, outbox } from "#db/schema";
import { resetEnvCache } from "~/env.server";
import { queueEmail, runOutboxOnce } from "~/models/outbox.server";
import * as mailboxMessageRoute from "~/routes/areas.$area.admin.mailbox.$emailId/route";
import * as mailboxRoute from "~/routes/areas.$area.admin.mailbox._index/route";
import * as outboxRoute from "~/routes/areas.$area.admin.outbox/route";
import * as previewRoute from "~/routes/areas.$area.digests.$agencyId/route";
import * as digestsRoute from "~/routes/areas.$area.digests._index/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  const db = getDb();
  // Police's address is on the accredited list; health's is not; the IDVA service has none.
  await db.update(areas).set({ secureDomains: ["police.example"] }).where(eq(areas.id, world.home.area.id));
  await db.update(agencies).set({ secureEmail: "marac@health.example" }).where(eq(agencies.id, world.home.agencies.health.id));
  for (const role of ["admin", "coordinator", "chair", "agency_rep", "idva"] as const) cookies[role] = await sessionCookieFor(world.home.users[role].id);
  cookies.otherCoordinator = await sessionCookieFor(world.other.users.coordinator.id);
  cookies.otherAdmin = await sessionCookieFor(world.other.users.admin.id);
});

beforeEach(() => {
  delete process.env.SMTP_URL;
  resetEnvCache();
});

const page = (path: string) => `/areas/${code}${path}`;
const outboxRows = () => getDb().select().from(outbox).where(eq(outbox.areaId, world.home.area.id));

describe("digests page", () => {
  const load = (cookie: string) => invoke(digestsRoute.loader, makeRequest(page("/digests"), { cookie }), { area: code });
  const send = (cookie: string, form: Record<string, string> = { intent: "send" }) =>
    invoke(digestsRoute.action, makeRequest(page("/digests"), { cookie, form }), { area: code });

  it("lists each active agency with its address and what it will get, for the coordinator", async () => {
    const { status, data } = await load(cookies.coordinator);
    expect(status).toBe(200);
    const byName = Object.fromEntries(data.agencies.map((a: any) => [a.name, a]));
    expect(byName.Police).toMatchObject({ secureEmail: "marac@police.example", accredited: true, status: null });
    expect(byName["Health Board"]).toMatchObject({ secureEmail: "marac@health.example", accredited: false });
    expect(byName["IDVA Service"]).toMatchObject({ secureEmail: null, accredited: false });
    expect(data.toSend).toBe(2);
    expect(data.mailboxHref).toBe(page("/admin/mailbox"));
  });

  it.each(["admin", "chair", "agency_rep", "idva"] as const)("refuses the %s with 403, and their post queues nothing", async (role) => {
    expect((await load(cookies[role])).status).toBe(403);
    const before = (await outboxRows()).length;
    expect((await send(cookies[role])).status).toBe(403);
    expect(await outboxRows()).toHaveLength(before);
  });

  it("answers 404 to another panel's coordinator", async () => {
    expect((await load(cookies.otherCoordinator)).status).toBe(404);
  });

  it("rejects a post without the send intent with 400 and queues nothing", async () => {
    const before = (await outboxRows()).length;
    const result = await send(cookies.coordinator, { intent: "everything" });
    expect(result.status).toBe(400);
    expect(await outboxRows()).toHaveLength(before);
  });

  it("previews one agency's digest exactly as it will be sent, and audits the read", async () => {
    const result = await invoke(previewRoute.loader, makeRequest(page(`/digests/${world.home.agencies.police.id}`), { cookie: cookies.coordinator }), {
      area: code,
      agencyId: world.home.agencies.police.id,
    });
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ agency: "Police", to: "marac@police.example", accredited: true, alreadySent: false });
    expect(result.data.subject).toMatch(/^Panel: your (update before the meeting on|fortnightly update)/);
    expect(result.data.text).toContain("Update for Police");
    const audits = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "digest.previewed"), eq(auditEvents.entityId, world.home.agencies.police.id)));
    expect(audits.length).toBeGreaterThan(0);
  });

  it("previews only a notice for an address off the accredited list", async () => {
    const result = await invoke(previewRoute.loader, makeRequest(page(`/digests/${world.home.agencies.health.id}`), { cookie: cookies.coordinator }), {
      area: code,
      agencyId: world.home.agencies.health.id,
    });
    expect(result.data.accredited).toBe(false);
    expect(result.data.text).toContain("not on the panel's list of secure email domains");
    expect(result.data.text).not.toContain("Update for Health Board");
  });

  it("answers 404 for another panel's agency or a malformed id, and 403 to an agency representative", async () => {
    for (const agencyId of [world.other.agencies.police.id, "not-an-id"]) {
      const result = await invoke(previewRoute.loader, makeRequest(page(`/digests/${agencyId}`), { cookie: cookies.coordinator }), { area: code, agencyId });
      expect(result.status).toBe(404);
    }
    const rep = await invoke(previewRoute.loader, makeRequest(page(`/digests/${world.home.agencies.police.id}`), { cookie: cookies.agency_rep }), {
      area: code,
      agencyId: world.home.agencies.police.id,
    });
    expect(rep.status).toBe(403);
  });

  it("sends one agency's digest from its preview, once per period", async () => {
    const agencyId = world.home.agencies.health.id;
    const post = () => invoke(previewRoute.action, makeRequest(page(`/digests/${agencyId}`), { cookie: cookies.coordinator, form: { intent: "send" } }), { area: code, agencyId });
    const first = await post();
    expect(first.status).toBe(302);
    expect(first.location).toBe(page("/digests"));
    const rows = (await outboxRows()).filter((r) => r.kind === "digest" && r.to === "marac@health.example");
    expect(rows).toHaveLength(1);
    expect(rows[0].accredited).toBe(false);
    expect((await post()).status).toBe(302);
    expect((await outboxRows()).filter((r) => r.kind === "digest" && r.to === "marac@health.example")).toHaveLength(1);
  });

  it("queues the rest in one go, then shows them sent in the history", async () => {
    const result = await send(cookies.coordinator);
    expect(result.status).toBe(302);
    const queued = (await outboxRows()).filter((r) => r.kind === "digest");
    expect(queued.map((r) => r.to).sort()).toEqual(["marac@health.example", "marac@police.example"]);
    expect(await getDb().select().from(digests).where(eq(digests.areaId, world.home.area.id))).toHaveLength(2);
    await runOutboxOnce();
    const { data } = await load(cookies.coordinator);
    expect(data.toSend).toBe(0);
    expect(data.history.map((h: any) => [h.agency, h.status])).toEqual(
      expect.arrayContaining([
        ["Police", "sent"],
        ["Health Board", "sent"],
      ]),
    );
    // Sending again queues nothing more.
    await send(cookies.coordinator);
    expect((await outboxRows()).filter((r) => r.kind === "digest")).toHaveLength(2);
  });
});

describe("outgoing email page", () => {
  const load = (cookie: string, query = "") => invoke(outboxRoute.loader, makeRequest(page(`/admin/outbox${query}`), { cookie }), { area: code });
  const retry = (cookie: string, form: Record<string, string>) => invoke(outboxRoute.action, makeRequest(page("/admin/outbox"), { cookie, form }), { area: code });

  async function failedEmail(areaId = world.home.area.id) {
    const row = await queueEmail(getDb(), {
      kind: "invitation",
      to: `failed.${Math.random().toString(36).slice(2)}@example.org`,
      subject: "Subject",
      html: "<p>secret body</p>",
      text: "secret body",
      idempotencyKey: `test:${Math.random()}`,
      areaId,
    });
    await getDb().update(outbox).set({ status: "failed", attempts: 8, lastError: "connect ECONNREFUSED 127.0.0.1:25" }).where(eq(outbox.id, row!.id));
    return row!;
  }

  it("shows the admin delivery facts and errors, but never an email's body", async () => {
    const row = await failedEmail();
    const { status, data } = await load(cookies.admin, "?status=failed");
    expect(status).toBe(200);
    const shown = data.rows.find((r: any) => r.id === row.id);
    expect(shown).toMatchObject({ status: "failed", attempts: 8, lastError: "connect ECONNREFUSED 127.0.0.1:25", to: row.to });
    expect(JSON.stringify(data)).not.toContain("secret body");
    expect(data.rows.every((r: any) => r.status === "failed")).toBe(true);
  });

  it.each(["coordinator", "chair", "agency_rep"] as const)("refuses the %s with 403", async (role) => {
    expect((await load(cookies[role])).status).toBe(403);
    expect((await retry(cookies[role], { intent: "retry", emailId: (await failedEmail()).id })).status).toBe(403);
  });

  it("puts a failed email back in the queue, audited, and the worker sends it", async () => {
    const row = await failedEmail();
    const result = await retry(cookies.admin, { intent: "retry", emailId: row.id });
    expect(result.status).toBe(302);
    const [after] = await getDb().select().from(outbox).where(eq(outbox.id, row.id));
    expect(after).toMatchObject({ status: "queued", attempts: 0, lastError: null });
    expect(await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "outbox.retried"), eq(auditEvents.entityId, row.id)))).toHaveLength(1);
    await runOutboxOnce();
    const [sent] = await getDb().select().from(outbox).where(eq(outbox.id, row.id));
    expect(sent.status).toBe("sent");
  });

  it("says so when the email is no longer failed, and changes nothing", async () => {
    const row = await failedEmail();
    await retry(cookies.admin, { intent: "retry", emailId: row.id });
    const again = await retry(cookies.admin, { intent: "retry", emailId: row.id });
    expect(again.status).toBe(302);
    const [after] = await getDb().select().from(outbox).where(eq(outbox.id, row.id));
    expect(after.status).toBe("queued");
  });

  it("rejects a malformed id with 400 and answers 404 for another panel's email", async () => {
    expect((await retry(cookies.admin, { intent: "retry", emailId: "nope" })).status).toBe(400);
    const foreign = await failedEmail(world.other.area.id);
    expect((await retry(cookies.admin, { intent: "retry", emailId: foreign.id })).status).toBe(404);
    const [still] = await getDb().select().from(outbox).where(eq(outbox.id, foreign.id));
    expect(still.status).toBe("failed");
  });
});

describe("demo mailbox", () => {
  const list = (cookie: string) => invoke(mailboxRoute.loader, makeRequest(page("/admin/mailbox"), { cookie }), { area: code });
  const open = (cookie: string, emailId: string) =>
    invoke(mailboxMessageRoute.loader, makeRequest(page(`/admin/mailbox/${emailId}`), { cookie }), { area: code, emailId });

  async function sentEmail(areaId: string, text: string) {
    const row = await queueEmail(getDb(), { kind: "digest", to: "marac@police.example", subject: "Panel: mailbox test", html: `<p>${text}</p>`, text, idempotencyKey: `mailbox:${Math.random()}`, areaId });
    await runOutboxOnce();
    return row!;
  }

  it("lists this panel's sent emails and shows one as written to disk, for the admin and the coordinator", async () => {
    const row = await sentEmail(world.home.area.id, "Mailbox body for home");
    for (const role of ["admin", "coordinator"] as const) {
      const { status, data } = await list(cookies[role]);
      expect(status).toBe(200);
      expect(data.offline).toBe(true);
      expect(data.messages.map((m: any) => m.id)).toContain(row.id);
      const message = await open(cookies[role], row.id);
      expect(message.status).toBe(200);
      expect(message.data).toMatchObject({ subject: "Panel: mailbox test", to: "marac@police.example", attachments: 0 });
      expect(message.data.text).toContain("Mailbox body for home");
      expect(message.data.messageId).toBe(`<${row.id}@127.0.0.1>`);
    }
    // Reading an email (it may carry case references and initials) is audited, once per read.
    const reads = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "mailbox.read"), eq(auditEvents.entityId, row.id)));
    expect(reads).toHaveLength(2);
  });

  it.each(["chair", "agency_rep", "idva"] as const)("refuses the %s with 403, for the list and for a message", async (role) => {
    const row = await sentEmail(world.home.area.id, `Body not for the ${role}`);
    expect((await list(cookies[role])).status).toBe(403);
    expect((await open(cookies[role], row.id)).status).toBe(403);
    expect(await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "mailbox.read"), eq(auditEvents.entityId, row.id)))).toEqual([]);
  });

  it("never shows another panel's email", async () => {
    const foreign = await sentEmail(world.other.area.id, "Other panel's body");
    const { data } = await list(cookies.admin);
    expect(data.messages.map((m: any) => m.id)).not.toContain(foreign.id);
    expect((await open(cookies.admin, foreign.id)).status).toBe(404);
    expect((await open(cookies.admin, "not-an-id")).status).toBe(404);
  });

  it.each(["chair", "agency_rep", "idva"] as const)("refuses the %s with 403", async (role) => {
    expect((await list(cookies[role])).status).toBe(403);
  });

  it("says it is not in use when a mail server is configured", async () => {
    const row = await sentEmail(world.home.area.id, "Before SMTP");
    process.env.SMTP_URL = "smtp://127.0.0.1:1";
    resetEnvCache();
    const { data } = await list(cookies.admin);
    expect(data).toMatchObject({ offline: false, messages: [] });
    expect((await open(cookies.admin, row.id)).status).toBe(404);
  });
});
