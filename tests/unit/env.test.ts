import { afterEach, describe, expect, it } from "vitest";
import { getEnv, resetEnvCache } from "~/env.server";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function withEnv(values: Record<string, string | undefined>) {
  process.env = { ...saved, APP_SECRET: "unit-test-secret-unit-test-secret-unit", ...values };
  for (const [k, v] of Object.entries(values)) if (v === undefined) delete process.env[k];
  resetEnvCache();
  return getEnv;
}

describe("WEB_CONCURRENCY", () => {
  it("is one process unless set", () => {
    expect(withEnv({ WEB_CONCURRENCY: undefined, DATABASE_URL: undefined })().WEB_CONCURRENCY).toBe(1);
  });

  it("runs several processes on PostgreSQL", () => {
    expect(withEnv({ WEB_CONCURRENCY: "2", DATABASE_URL: "postgres://postgres@127.0.0.1:5432/panel" })().WEB_CONCURRENCY).toBe(2);
  });

  it("is refused above one on the embedded database, which one process alone may open", () => {
    expect(withEnv({ WEB_CONCURRENCY: "2", DATABASE_URL: undefined })).toThrow(/WEB_CONCURRENCY: more than one process needs DATABASE_URL/);
  });

  it("is refused when it is not a whole number from 1 to 64", () => {
    for (const value of ["0", "1.5", "65", "many"]) expect(withEnv({ WEB_CONCURRENCY: value, DATABASE_URL: "postgres://x@127.0.0.1/y" }), value).toThrow(/WEB_CONCURRENCY/);
  });
});

describe("SMTP_MAX_MESSAGES_PER_CONNECTION", () => {
  it("is 500 unless set, and takes a relay's own limit", () => {
    expect(withEnv({ SMTP_MAX_MESSAGES_PER_CONNECTION: undefined })().SMTP_MAX_MESSAGES_PER_CONNECTION).toBe(500);
    expect(withEnv({ SMTP_MAX_MESSAGES_PER_CONNECTION: "20" })().SMTP_MAX_MESSAGES_PER_CONNECTION).toBe(20);
  });

  it("is refused when it is not a whole number from 1 to 100,000", () => {
    for (const value of ["0", "2.5", "100001", "lots"]) expect(withEnv({ SMTP_MAX_MESSAGES_PER_CONNECTION: value }), value).toThrow(/SMTP_MAX_MESSAGES_PER_CONNECTION/);
  });
});
