import { afterEach, describe, expect, it, vi } from "vitest";

const connections = vi.hoisted(() => [] as Record<string, unknown>[]);
vi.mock("node:net", async (importOriginal) => {
  const net = await importOriginal<typeof import("node:net")>();
  return {
    ...net,
    connect: (options: Record<string, unknown>) => {
      connections.push(options);
      return net.connect(options as never);
    },
  };
});

const { createSmtpTransport } = await import("~/models/mail/transport.server");
const { freePort } = await import("../../scripts/free-port");

afterEach(() => {
  connections.length = 0;
});

describe("the SMTP connection", () => {
  it("is opened with Nagle's algorithm off, to the relay's host and port", async () => {
    const port = await freePort(); // nothing listens there
    const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`, { pool: true });
    await expect(transport.sendMail({ from: "a@panel.test", to: "b@panel.test", subject: "s", text: "t" })).rejects.toThrow(/ECONNREFUSED/);
    transport.close();
    expect(connections).toEqual([{ host: "127.0.0.1", port, noDelay: true }]);
  });

  it("is given up after a refusal, so the pool opens new ones and later messages are not stuck behind it", async () => {
    const port = await freePort();
    const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`, { pool: true });
    const send = () => transport.sendMail({ from: "a@panel.test", to: "b@panel.test", subject: "s", text: "t" }).then(() => "sent", (error: Error) => (/ECONNREFUSED/.test(error.message) ? "refused" : error.message));
    // Three rounds of more messages than the pool has connections (4).
    for (let round = 0; round < 3; round++) expect(await Promise.all([1, 2, 3, 4, 5, 6].map(send))).toEqual(Array(6).fill("refused"));
    transport.close();
    expect(connections.length).toBeGreaterThanOrEqual(18);
  });
});
