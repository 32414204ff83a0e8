import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, getDb, type Db, type DbHandle } from "#db/client";
import { makeAgency, makeArea, makeReferral, makeUser } from "#db/factories";
import { actions, agencies, meetingCases, meetings, outbox, type Area } from "#db/schema";
import { resetEnvCache } from "~/env.server";
import { todayInLondon } from "~/lib/london-time";
import { queueAreaDigests } from "~/models/digests.server";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { closeMailTransport } from "~/models/mail/transport.server";
import { claimDueEmails, queueEmail, retryOutboxEmail, runOutboxOnce, type QueuedRow } from "~/models/outbox.server";
import { getTestDatabaseUrl } from "../support/database";
import { addDays } from "../support/held-meeting";
import { startSmtpSink, useSmtpSink, type ReceivedMessage, type SmtpSink } from "../support/smtp";

// Personal data that must never leave in an email, made distinctive so a leak is unmistakable.
const VICTIM = { firstName: "Zephyrine", lastName: "Quillfeather", dob: "1983-07-14", address: "42 Marigold Crescent, Abertawe SA9 9ZZ" };
const PERPETRATOR = { firstName: "Thaddeus", lastName: "Blackwood", dob: "1979-02-03" };
const FORBIDDEN = [
  VICTIM.firstName,
  VICTIM.lastName,
  PERPETRATOR.firstName,
  PERPETRATOR.lastName,
  VICTIM.dob,
  PERPETRATOR.dob,
  "14 July 1983",
  "14/07/1983",
  "3 February 1979",
  "03/02/1979",
  "Marigold Crescent",
  "SA9 9ZZ",
  "Abertawe",
  // Free text of the referral (the factory's professional-judgement rationale).
  "Escalating controlling behaviour",
];
const ACTION_TEXT = "Fit a video doorbell at the refuge entrance";
const DUE_SOON_TEXT = "Share the bail conditions with the refuge manager";
const HOST = "127.0.0.1"; // APP_URL host: Message-IDs are <outbox id>@127.0.0.1

const messageIdOf = (id: string) => `<${id}@${HOST}>`;
const rowsOf = async (ids: string[]) => (ids.length ? getDb().select().from(outbox).where(inArray(outbox.id, ids)).orderBy(asc(outbox.createdAt)) : []);
const rowOf = async (id: string) => (await rowsOf([id]))[0];
const makeDue = (ids: string[]) => getDb().update(outbox).set({ nextAttemptAt: sql`now()` }).where(inArray(outbox.id, ids));

/** Everything a reader of the message could see: headers, subject, both bodies. */
function visible(message: ReceivedMessage) {
  const headers = [...message.parsed.headers.entries()].map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join("\n");
  return [headers, message.parsed.subject ?? "", message.parsed.text ?? "", typeof message.parsed.html === "string" ? message.parsed.html : ""].join("\n");
}

function expectNoPersonalData(message: ReceivedMessage) {
  const all = visible(message);
  for (const word of FORBIDDEN) {
    expect(all, `"${word}" leaked`).not.toContain(word);
    expect(message.raw, `"${word}" leaked in the raw message`).not.toContain(word);
  }
}

let counter = 0;
const uniqueCode = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-4)}${(counter++).toString(36)}`.toUpperCase().slice(0, 8);

let actorUserId: string;
const actor = () => ({ userId: actorUserId, ip: "127.0.0.1" });

/** A plain email straight into the outbox (the transport tests do not need a digest). */
async function queuePlain(area: Area, label: string, to = `marac@${label.toLowerCase()}.nhs.net`): Promise<QueuedRow> {
  const row = await queueEmail(getDb(), {
    kind: "digest",
    to,
    subject: "Panel: your fortnightly update",
    html: `<p>Update ${label}</p>`,
    text: `Update ${label}`,
    idempotencyKey: `test:${label}:${counter++}:${Date.now()}`,
    areaId: area.id,
    accredited: true,
  });
  if (!row) throw new Error("not queued");
  return row;
}

let restoreEnv: (() => void) | undefined;
const sinks: SmtpSink[] = [];
async function sink(options: Parameters<typeof startSmtpSink>[0] = {}) {
  const s = await startSmtpSink(options);
  sinks.push(s);
  return s;
}
function point(s: SmtpSink, options?: { trustCertificate?: boolean }) {
  restoreEnv?.();
  restoreEnv = useSmtpSink(s, options);
}

let plainArea: Area;

beforeAll(async () => {
  const user = await makeUser(getDb(), { email: `outbox.${Date.now()}@example.org`, name: "Coordinator" });
  actorUserId = user.id;
  plainArea = await makeArea(getDb(), { name: "Plain MARAC", code: uniqueCode("P"), secureDomains: ["nhs.net"] });
});

afterEach(async () => {
  restoreEnv?.();
  restoreEnv = undefined;
  closeMailTransport();
  for (const s of sinks.splice(0)) await s.stop();
  // Whatever a test left due must not be sent by the next one's worker.
  await getDb().update(outbox).set({ status: "failed", lastError: "left by an earlier test" }).where(inArray(outbox.status, ["queued", "sending"]));
});

afterAll(() => {
  closeMailTransport();
});

describe("a digest over real SMTP", () => {
  let area: Area;
  let reference: string;
  let queued: Awaited<ReturnType<typeof queueAreaDigests>>;
  let policeEmail: string;
  let outsiderEmail: string;
  let smtp: SmtpSink;
  let sent: { police: ReceivedMessage; outsider: ReceivedMessage };

  beforeAll(async () => {
    const db = getDb();
    const today = todayInLondon();
    area = await makeArea(db, { name: "Secure MARAC", code: uniqueCode("S"), secureDomains: ["pnn.police.uk", "nhs.net"], firstMeetingOn: addDays(today, 7) });
    await ensureMeetingSeries({ areaId: area.id, today });
    const [next] = await db.select().from(meetings).where(eq(meetings.areaId, area.id)).orderBy(asc(meetings.startsAt)).limit(1);
    policeEmail = "marac@gwent.pnn.police.uk";
    outsiderEmail = "marac.team@gmail.example";
    const police = await makeAgency(db, { areaId: area.id, name: "Gwent Police", kind: "police", secureEmail: policeEmail });
    const outsider = await makeAgency(db, { areaId: area.id, name: "Housing Association", kind: "housing", secureEmail: outsiderEmail });
    const made = await makeReferral(db, {
      areaId: area.id,
      areaCode: area.code,
      agencyId: police.id,
      userId: actorUserId,
      status: "listed",
      victim: { firstName: VICTIM.firstName, lastName: VICTIM.lastName, dobs: [VICTIM.dob], address: VICTIM.address },
      perpetrator: { firstName: PERPETRATOR.firstName, lastName: PERPETRATOR.lastName, dobs: [PERPETRATOR.dob] },
    });
    reference = made.case.reference!;
    const [mc] = await db.insert(meetingCases).values({ meetingId: next.id, caseId: made.case.id, position: 1 }).returning();
    for (const owner of [police, outsider]) {
      await db.insert(actions).values([
        { meetingCaseId: mc.id, meetingId: next.id, caseId: made.case.id, areaId: area.id, description: ACTION_TEXT, ownerAgencyId: owner.id, dueOn: addDays(today, -5) },
        { meetingCaseId: mc.id, meetingId: next.id, caseId: made.case.id, areaId: area.id, description: DUE_SOON_TEXT, ownerAgencyId: owner.id, dueOn: addDays(today, 3) },
      ]);
    }
    queued = await queueAreaDigests({ actor: actor(), areaId: area.id, today });
    expect(queued.queued.map((q) => [q.to, q.accredited]).sort()).toEqual([
      [outsiderEmail, false],
      [policeEmail, true],
    ]);

    smtp = await startSmtpSink();
    restoreEnv = useSmtpSink(smtp);
    const result = await runOutboxOnce({ workerId: "digest-worker", retryBaseMs: 60_000, maxAttempts: 3 });
    restoreEnv();
    restoreEnv = undefined;
    closeMailTransport();
    await smtp.stop();
    expect(result).toEqual({ claimed: 2, sent: 2, retried: 0, failed: 0 });
    const byRecipient = (to: string) => {
      const found = smtp.messages.filter((m) => m.envelope.to.includes(to));
      expect(found, to).toHaveLength(1);
      return found[0];
    };
    sent = { police: byRecipient(policeEmail), outsider: byRecipient(outsiderEmail) };
  });

  it("goes to an accredited address over STARTTLS with TLS 1.2 or newer and a verified certificate", () => {
    const m = sent.police;
    expect(m.secure).toBe(true);
    expect(["TLSv1.2", "TLSv1.3"]).toContain(m.tlsProtocol);
    // Every session that carried a message had been upgraded first.
    for (const message of smtp.messages) expect(message.secure).toBe(true);
    expect(smtp.sessions.length).toBeGreaterThan(0);
    expect(smtp.sessions.every((s) => s.secure && (s.tlsProtocol === "TLSv1.2" || s.tlsProtocol === "TLSv1.3"))).toBe(true);
    expect(m.envelope.to).toEqual([policeEmail]);
  });

  it("carries the case reference, the victim's initials and the action text to an accredited address", () => {
    const { text, html } = sent.police.parsed;
    expect(text).toContain(reference);
    expect(text).toContain("(Z.Q.)");
    expect(text).toContain(ACTION_TEXT);
    expect(text).toContain(DUE_SOON_TEXT);
    expect(html).toContain(reference);
    expect(html).toContain(ACTION_TEXT);
    // Action links lead into the app, behind sign-in.
    expect(text).toContain(`http://127.0.0.1:3000/areas/${area.code.toLowerCase()}/actions/`);
  });

  it("never carries names, dates of birth, addresses or case free text, not even to an accredited address", () => {
    expectNoPersonalData(sent.police);
    expectNoPersonalData(sent.outsider);
  });

  it("has a subject without personal data or case references, and no attachments", () => {
    for (const m of [sent.police, sent.outsider]) {
      const subject = m.parsed.subject ?? "";
      expect(subject).toMatch(/^Panel: your update before the meeting on /);
      expect(subject).not.toContain(reference);
      expect(subject).not.toContain("Z.Q.");
      expect(subject).not.toMatch(/Zephyrine|Quillfeather|Thaddeus|Blackwood/);
      expect(m.parsed.attachments).toHaveLength(0);
      expect(m.raw).not.toMatch(/Content-Disposition:\s*attachment/i);
    }
  });

  it("is identified by a Message-ID derived from its outbox row, which is marked sent", async () => {
    const policeRow = await rowOf(queued.queued.find((q) => q.to === policeEmail)!.outboxId);
    expect(sent.police.parsed.messageId).toBe(messageIdOf(policeRow.id));
    expect(policeRow).toMatchObject({ status: "sent", messageId: messageIdOf(policeRow.id), attempts: 1, lastError: null, claimedBy: null, accredited: true });
    expect(policeRow.sentAt).toBeInstanceOf(Date);
    expect(Math.abs(policeRow.sentAt!.getTime() - Date.now())).toBeLessThan(5 * 60_000);
    expect(sent.police.parsed.headers.get("auto-submitted")).toBe("auto-generated");
  });

  it("arrives exactly as queued: both parts quoted-printable, in lines of at most 76 characters, read back as the outbox holds them", async () => {
    for (const m of [sent.police, sent.outsider]) {
      const row = await rowOf(queued.queued.find((q) => q.to === m.envelope.to[0])!.outboxId);
      expect(m.parsed.text).toBe(row.text);
      expect(m.parsed.html).toBe(row.html);
      const boundary = /boundary="([^"]+)"/.exec(m.raw)![1];
      const parts = m.raw.split(`\r\n--${boundary}`).slice(1, 3);
      expect(parts.map((p) => p.match(/^\r\nContent-Type: (text\/\w+); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n/)?.[1])).toEqual(["text/plain", "text/html"]);
      for (const part of parts) expect(Math.max(...part.split("\r\n").map((line) => line.length))).toBeLessThanOrEqual(76);
    }
  });

  it("sends an address outside the area's secure domains only a notice with a sign-in link", async () => {
    const m = sent.outsider;
    const { text } = m.parsed;
    const html = typeof m.parsed.html === "string" ? m.parsed.html : "";
    expect(m.envelope.to).toEqual([outsiderEmail]);
    expect(m.secure).toBe(true);
    for (const body of [text ?? "", html, m.raw]) {
      expect(body).not.toContain(reference);
      expect(body).not.toContain("Z.Q.");
      expect(body).not.toContain(ACTION_TEXT);
      expect(body).not.toContain(DUE_SOON_TEXT);
    }
    expect(text).toContain("There is new information for Housing Association on Panel.");
    expect(text).toContain(`http://127.0.0.1:3000/areas/${area.code.toLowerCase()}/actions`);
    // The only link is the sign-in one: no per-action links.
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((l) => l[1]).filter((l) => l.startsWith("http"));
    expect(new Set(links)).toEqual(new Set([`http://127.0.0.1:3000/areas/${area.code.toLowerCase()}/actions`]));
    const row = await rowOf(queued.queued.find((q) => q.to === outsiderEmail)!.outboxId);
    expect(row).toMatchObject({ status: "sent", accredited: false, messageId: messageIdOf(row.id) });
    expect(m.parsed.messageId).toBe(messageIdOf(row.id));
  });
});

describe("TLS is required", () => {
  it("sends nothing to a server that does not offer STARTTLS, and queues the email again", async () => {
    const plain = await sink({ starttls: false });
    point(plain);
    const row = await queuePlain(plainArea, "NoTls");
    const before = Date.now();
    const result = await runOutboxOnce({ workerId: "tls-worker", retryBaseMs: 60_000, maxAttempts: 3 });
    expect(result).toEqual({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    expect(plain.messages).toHaveLength(0);
    expect(plain.sessions.length).toBeGreaterThan(0); // it did connect, and refused to go on
    expect(plain.sessions.some((s) => s.secure)).toBe(false);
    const after = await rowOf(row.id);
    expect(after).toMatchObject({ status: "queued", attempts: 1, claimedBy: null, messageId: null, sentAt: null });
    expect(after.lastError).toMatch(/STARTTLS|TLS/i);
    expect(after.nextAttemptAt.getTime()).toBeGreaterThan(before + 50_000);
  });

  it("sends nothing to a server whose certificate is not trusted", async () => {
    const untrusted = await sink();
    point(untrusted, { trustCertificate: false });
    const row = await queuePlain(plainArea, "Untrusted");
    const before = Date.now();
    const result = await runOutboxOnce({ workerId: "tls-worker", retryBaseMs: 60_000, maxAttempts: 3 });
    expect(result).toEqual({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    expect(untrusted.messages).toHaveLength(0);
    const after = await rowOf(row.id);
    expect(after).toMatchObject({ status: "queued", attempts: 1, claimedBy: null, messageId: null, sentAt: null });
    expect(after.lastError).toMatch(/certificate/i);
    expect(after.nextAttemptAt.getTime()).toBeGreaterThan(before + 50_000);

    // The same server with its certificate trusted: delivered, over TLS.
    point(untrusted);
    await makeDue([row.id]);
    expect(await runOutboxOnce({ workerId: "tls-worker" })).toMatchObject({ sent: 1 });
    expect(untrusted.messages).toHaveLength(1);
    expect(untrusted.messages[0].secure).toBe(true);
  });
  it("sends nothing to a server whose trusted certificate names another host", async () => {
    // Same certificate, trusted, but the server is reached as 127.0.0.2, which it does not name.
    const elsewhere = await sink({ host: "127.0.0.2" });
    point(elsewhere);
    const row = await queuePlain(plainArea, "WrongHost");
    expect(await runOutboxOnce({ workerId: "tls-worker", retryBaseMs: 60_000, maxAttempts: 3 })).toEqual({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    expect(elsewhere.messages).toHaveLength(0);
    const after = await rowOf(row.id);
    expect(after).toMatchObject({ status: "queued", attempts: 1, sentAt: null });
    expect(after.lastError).toMatch(/127\.0\.0\.2|altnames|hostname|certificate/i);
  });
});

describe("when the SMTP server is down", () => {
  it("retries with doubling backoff, gives up after maxAttempts, and sends each email exactly once when put back", async () => {
    const smtp = await sink();
    point(smtp);
    await smtp.stop(); // connections are now refused
    const rows = [await queuePlain(plainArea, "Down1"), await queuePlain(plainArea, "Down2"), await queuePlain(plainArea, "Down3")];
    const ids = rows.map((r) => r.id);
    const options = { workerId: "fault-worker", retryBaseMs: 60_000, maxAttempts: 3 };

    // Attempt 1: back in the queue a minute later.
    let before = Date.now();
    expect(await runOutboxOnce(options)).toEqual({ claimed: 3, sent: 0, retried: 3, failed: 0 });
    for (const r of await rowsOf(ids)) {
      expect(r).toMatchObject({ status: "queued", attempts: 1, claimedBy: null });
      expect(r.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(r.nextAttemptAt.getTime() - before).toBeGreaterThan(50_000);
      expect(r.nextAttemptAt.getTime() - before).toBeLessThan(75_000);
    }
    // Not due yet: a run now leaves them alone.
    expect(await runOutboxOnce(options)).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });

    // Attempt 2: two minutes.
    await makeDue(ids);
    before = Date.now();
    expect(await runOutboxOnce(options)).toEqual({ claimed: 3, sent: 0, retried: 3, failed: 0 });
    for (const r of await rowsOf(ids)) {
      expect(r).toMatchObject({ status: "queued", attempts: 2 });
      expect(r.nextAttemptAt.getTime() - before).toBeGreaterThan(110_000);
      expect(r.nextAttemptAt.getTime() - before).toBeLessThan(135_000);
    }

    // Attempt 3 of 3: failed for good.
    await makeDue(ids);
    expect(await runOutboxOnce(options)).toEqual({ claimed: 3, sent: 0, retried: 0, failed: 3 });
    for (const r of await rowsOf(ids)) {
      expect(r).toMatchObject({ status: "failed", attempts: 3, claimedBy: null, sentAt: null, messageId: null });
      expect(r.lastError).toMatch(/ECONNREFUSED|connect/i);
    }
    await getDb().update(outbox).set({ nextAttemptAt: sql`now() - interval '1 day'` }).where(inArray(outbox.id, ids));
    expect(await runOutboxOnce(options)).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });

    // The server comes back on the same port and the coordinator retries them.
    await smtp.restart();
    for (const id of ids) await retryOutboxEmail({ actor: actor(), areaId: plainArea.id, emailId: id });
    for (const r of await rowsOf(ids)) expect(r).toMatchObject({ status: "queued", attempts: 0, lastError: null });
    expect(await runOutboxOnce(options)).toEqual({ claimed: 3, sent: 3, retried: 0, failed: 0 });
    expect(await runOutboxOnce(options)).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });

    expect(smtp.messages).toHaveLength(3);
    expect(smtp.messages.map((m) => m.parsed.messageId).sort()).toEqual(ids.map(messageIdOf).sort());
    for (const r of await rowsOf(ids)) expect(r).toMatchObject({ status: "sent", attempts: 1, messageId: messageIdOf(r.id), lastError: null });
  });

  it("treats a 421 greeting and a 451 reply to the message as temporary, and sends once the server recovers", async () => {
    const smtp = await sink({ reject: "connect" });
    point(smtp);
    const row = await queuePlain(plainArea, "Busy");
    const options = { workerId: "busy-worker", retryBaseMs: 60_000, maxAttempts: 5 };

    expect(await runOutboxOnce(options)).toMatchObject({ claimed: 1, retried: 1 });
    expect(await rowOf(row.id)).toMatchObject({ status: "queued", attempts: 1 });
    expect((await rowOf(row.id)).lastError).toMatch(/421/);

    smtp.reject("data");
    closeMailTransport();
    await makeDue([row.id]);
    expect(await runOutboxOnce(options)).toMatchObject({ claimed: 1, retried: 1 });
    expect(await rowOf(row.id)).toMatchObject({ status: "queued", attempts: 2 });
    expect((await rowOf(row.id)).lastError).toMatch(/451/);
    expect(smtp.messages).toHaveLength(0);

    smtp.reject("none");
    await makeDue([row.id]);
    expect(await runOutboxOnce(options)).toMatchObject({ claimed: 1, sent: 1, retried: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].parsed.messageId).toBe(messageIdOf(row.id));
    expect(await rowOf(row.id)).toMatchObject({ status: "sent", attempts: 3, lastError: null });
  });
});

describe("a worker that dies between claim and send", () => {
  it("keeps its rows until the lease runs out; then another worker sends each exactly once", async () => {
    const smtp = await sink();
    point(smtp);
    const ids = (await Promise.all([1, 2, 3, 4].map((i) => queuePlain(plainArea, `Dead${i}`)))).map((r) => r.id);

    const claimed = await claimDueEmails({ workerId: "dead-worker", limit: 10 });
    expect(claimed.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const r of claimed) expect(r).toMatchObject({ status: "sending", claimedBy: "dead-worker", attempts: 1 });
    // ...and the dead worker never sends them.

    // Within the lease (the default, five minutes): another worker leaves them alone.
    expect(await runOutboxOnce({ workerId: "live-worker" })).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);
    for (const r of await rowsOf(ids)) expect(r).toMatchObject({ status: "sending", claimedBy: "dead-worker" });

    // A short lease that has run out: taken over and sent once each.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await runOutboxOnce({ workerId: "live-worker", leaseMs: 50 })).toEqual({ claimed: 4, sent: 4, retried: 0, failed: 0 });
    expect(await runOutboxOnce({ workerId: "live-worker", leaseMs: 0 })).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(4);
    expect(smtp.messages.map((m) => m.parsed.messageId).sort()).toEqual(ids.map(messageIdOf).sort());
    for (const r of await rowsOf(ids)) expect(r).toMatchObject({ status: "sent", attempts: 2, claimedBy: null, messageId: messageIdOf(r.id) });
  });

  it("cannot record an outcome once its lease was taken over: its claim is fenced", async () => {
    const smtp = await sink();
    point(smtp);
    const ids = [(await queuePlain(plainArea, "Zombie1")).id, (await queuePlain(plainArea, "Zombie2")).id];

    // A worker that stalls inside delivery (a hung connection, a paused process).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    let allStarted!: () => void;
    const stalled = new Promise<void>((resolve) => (allStarted = resolve));
    const zombie = runOutboxOnce({
      workerId: "zombie-worker",
      deliver: async (message) => {
        started.push(message.id);
        if (started.length === ids.length) allStarted();
        await gate;
        // When it wakes up, one "succeeds" and one fails.
        if (message.id === ids[0]) return { messageId: "<zombie@elsewhere>", delivered: "smtp" };
        throw new Error("zombie failure");
      },
    });
    await stalled;

    // Its lease runs out and another worker sends both.
    expect(await runOutboxOnce({ workerId: "rescuer", leaseMs: 0 })).toEqual({ claimed: 2, sent: 2, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(2);

    release();
    await zombie;
    // The zombie's outcomes changed nothing.
    for (const r of await rowsOf(ids)) {
      expect(r).toMatchObject({ status: "sent", messageId: messageIdOf(r.id), lastError: null, claimedBy: null, attempts: 2 });
    }
    expect(smtp.messages.map((m) => m.parsed.messageId).sort()).toEqual(ids.map(messageIdOf).sort());
  });
});

describe("the worker's pace (finding 48 of docs/performance.md)", () => {
  it("claims the next batch while the last rows of this one are still being sent, and never a row it holds", async () => {
    const smtp = await sink();
    point(smtp);
    const ids = (await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => queuePlain(plainArea, `Ahead${i}`)))).map((r) => r.id);
    const heldWhileSending: number[] = [];
    const held = async () => Number((await getDb().select({ n: sql<number>`count(*)` }).from(outbox).where(and(eq(outbox.claimedBy, "ahead-worker"), eq(outbox.status, "sending"))))[0].n);
    const result = await runOutboxOnce({
      workerId: "ahead-worker",
      batchSize: 4,
      concurrency: 1,
      // A lease that has always run out: only the run's own bookkeeping keeps it from claiming its rows again.
      leaseMs: 0,
      deliver: async (message) => {
        // While the fourth row of the first batch is sent, the next batch should already be claimed.
        if (heldWhileSending.length === 3) {
          const deadline = Date.now() + 2_000;
          while ((await held()) < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        heldWhileSending.push(await held());
        return { messageId: messageIdOf(message.id), delivered: "smtp" };
      },
    });
    expect(result).toEqual({ claimed: 8, sent: 8, retried: 0, failed: 0 });
    // One row in flight and the four of the next batch claimed ahead.
    expect(heldWhileSending[3]).toBe(5);
    for (const r of await rowsOf(ids)) expect(r).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("sends each email once with more lanes than a batch holds", async () => {
    const smtp = await sink();
    point(smtp);
    const ids = (await Promise.all(Array.from({ length: 11 }, (_, i) => queuePlain(plainArea, `Lane${i}`)))).map((r) => r.id);
    expect(await runOutboxOnce({ workerId: "lanes-worker", batchSize: 3, concurrency: 8 })).toEqual({ claimed: 11, sent: 11, retried: 0, failed: 0 });
    expect(smtp.messages.map((m) => m.parsed.messageId).sort()).toEqual(ids.map(messageIdOf).sort());
  });

  it("replaces a pooled connection after SMTP_MAX_MESSAGES_PER_CONNECTION messages, and keeps one for five by default", async () => {
    const perSession = (smtp: SmtpSink) => {
      const counts = new Map<string, number>();
      for (const m of smtp.messages) counts.set(m.sessionId, (counts.get(m.sessionId) ?? 0) + 1);
      return [...counts.values()];
    };
    const limited = await sink();
    point(limited);
    process.env.SMTP_MAX_MESSAGES_PER_CONNECTION = "2";
    resetEnvCache();
    try {
      for (let i = 0; i < 5; i++) await queuePlain(plainArea, `Limit${i}`);
      expect(await runOutboxOnce({ workerId: "limit-worker", concurrency: 1 })).toMatchObject({ sent: 5 });
      expect(perSession(limited)).toEqual([2, 2, 1]);
    } finally {
      delete process.env.SMTP_MAX_MESSAGES_PER_CONNECTION;
      resetEnvCache();
    }
    const unlimited = await sink();
    point(unlimited);
    for (let i = 0; i < 5; i++) await queuePlain(plainArea, `Default${i}`);
    expect(await runOutboxOnce({ workerId: "default-worker", concurrency: 1 })).toMatchObject({ sent: 5 });
    expect(perSession(unlimited)).toEqual([5]);
  });
});

describe("two workers on one database", () => {
  let second: DbHandle | undefined;
  afterAll(async () => {
    await second?.close();
  });

  it("send 200 digests between them, each exactly once", { timeout: 240_000 }, async () => {
    const db = getDb();
    const area = await makeArea(db, { name: "Busy MARAC", code: uniqueCode("B"), secureDomains: ["nhs.net"] });
    const agencyRows = Array.from({ length: 200 }, (_, i) => ({
      areaId: area.id,
      name: `Agency ${String(i).padStart(3, "0")}`,
      kind: "health" as const,
      secureEmail: `marac@agency${i}.wales.nhs.net`,
    }));
    await db.insert(agencies).values(agencyRows);
    const queued = await queueAreaDigests({ actor: actor(), areaId: area.id });
    expect(queued.queued).toHaveLength(200);
    expect(queued.queued.every((q) => q.accredited)).toBe(true);
    const ids = queued.queued.map((q) => q.outboxId);

    const smtp = await sink();
    point(smtp);
    const url = getTestDatabaseUrl();
    // On PostgreSQL the second worker has its own pool, so the two really claim at the same time.
    second = url ? createDb({ databaseUrl: url, max: 5 }) : undefined;
    const otherDb: Db = second?.db ?? db;
    const [a, b] = await Promise.all([
      runOutboxOnce({ workerId: "worker-a", batchSize: 10 }),
      runOutboxOnce({ workerId: "worker-b", batchSize: 10, db: otherDb }),
    ]);
    expect(a.sent + b.sent).toBe(200);
    expect(a.claimed + b.claimed).toBe(200);
    expect(a.retried + b.retried + a.failed + b.failed).toBe(0);

    expect(smtp.messages).toHaveLength(200);
    const messageIds = smtp.messages.map((m) => m.parsed.messageId);
    expect(new Set(messageIds).size).toBe(200);
    expect(new Set(messageIds)).toEqual(new Set(ids.map(messageIdOf)));
    const recipients = smtp.messages.flatMap((m) => m.envelope.to);
    expect(new Set(recipients)).toEqual(new Set(agencyRows.map((r) => r.secureEmail)));
    expect(recipients).toHaveLength(200);
    expect(smtp.messages.every((m) => m.secure)).toBe(true);

    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(200);
    for (const r of rows) expect(r).toMatchObject({ status: "sent", attempts: 1, messageId: messageIdOf(r.id), claimedBy: null });

    // Nothing left for a third run.
    expect(await runOutboxOnce({ workerId: "worker-c" })).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(200);
  });
});

describe("idempotency", () => {
  it("queues an email once however often it is queued with the same key", async () => {
    const email = { kind: "digest" as const, to: "marac@wales.nhs.net", subject: "Panel: your fortnightly update", html: "<p>x</p>", text: "x", idempotencyKey: `digest:IDEM:${Date.now()}`, areaId: plainArea.id };
    const first = await queueEmail(getDb(), email);
    const again = await queueEmail(getDb(), { ...email, text: "a different body" });
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    const rows = await getDb().select().from(outbox).where(eq(outbox.idempotencyKey, email.idempotencyKey));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first!.id, text: "x", status: "queued" });
  });

  it("queues an agency's digest once per period however often the digests are run", async () => {
    const db = getDb();
    const area = await makeArea(db, { name: "Idem MARAC", code: uniqueCode("I"), secureDomains: ["nhs.net"] });
    await makeAgency(db, { areaId: area.id, name: "Health", kind: "health", secureEmail: "marac@idem.nhs.net" });
    const first = await queueAreaDigests({ actor: actor(), areaId: area.id });
    const again = await queueAreaDigests({ actor: actor(), areaId: area.id });
    expect(first.queued).toHaveLength(1);
    expect(again.queued).toHaveLength(0);
    expect(again.alreadySent).toHaveLength(1);
    expect(await db.select().from(outbox).where(eq(outbox.areaId, area.id))).toHaveLength(1);
  });
});
