import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { setSharedDbHandle } from "#db/client";
import { resetEnvCache } from "~/env.server";
import { createTestDatabase, setTestDatabaseUrl } from "./database";

// Each test file gets its own database and mail folder.
const dataDir = mkdtempSync(path.join(tmpdir(), "panel-it-"));
process.env.DATA_DIR = dataDir;
process.env.MAIL_DIR = path.join(dataDir, "mail");
process.env.APP_SECRET = "integration-test-secret-integration-test-secret";
process.env.APP_URL = "http://127.0.0.1:3000";
delete process.env.SMTP_URL;
resetEnvCache();

let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const db = await createTestDatabase();
  setSharedDbHandle(db.handle);
  drop = db.drop;
  setTestDatabaseUrl(db.url);
});

afterAll(async () => {
  setSharedDbHandle(undefined);
  setTestDatabaseUrl(undefined);
  await drop?.();
  // The file's mail folder and anything else it wrote: tests leave nothing behind in the temp folder.
  rmSync(dataDir, { recursive: true, force: true });
});
