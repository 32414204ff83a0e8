import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** Messages over one pooled SMTP connection unless SMTP_MAX_MESSAGES_PER_CONNECTION says otherwise: Exim's client default. */
export const DEFAULT_SMTP_MAX_MESSAGES = 500;

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.string().url().optional(),
  DATABASE_URL: z.string().optional(),
  PGLITE_DIR: z.string().optional(),
  DATA_DIR: z.string().default("data"),
  APP_SECRET: z.string().min(32).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Panel <no-reply@panel.invalid>"),
  MAIL_DIR: z.string().optional(),
  /** PEM file of extra CA certificates to trust for the SMTP relay. */
  SMTP_CA_FILE: z.string().optional(),
  /**
   * Messages sent over one pooled SMTP connection before it is closed and another opened. A relay that
   * limits messages per connection (Exchange's receive connectors: 20 by default) needs its own limit here.
   */
  SMTP_MAX_MESSAGES_PER_CONNECTION: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_SMTP_MAX_MESSAGES),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().optional(),
  /** "inline" runs the outbox worker and mail scheduler inside the app; "off" leaves them to `npm run worker`. */
  MAIL_WORKER: z.enum(["inline", "off"]).default("inline"),
  OUTBOX_POLL_SECONDS: z.coerce.number().min(0.05).max(3600).default(2),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First retry delay; each later one doubles, up to an hour. */
  OUTBOX_RETRY_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  /** "off" stops the scheduled digests, reminders and research notices (the outbox is still sent). */
  MAIL_SCHEDULER: z.enum(["on", "off"]).default("on"),
  /** How often the scheduler looks for digests, reminders and research notices that are due. */
  SCHEDULER_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
  SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(3).max(20).default(5),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  RESET_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  /** HTTP processes sharing the port (one per core, say). Above 1 needs PostgreSQL: the embedded database has one opener. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
}).refine((env) => env.WEB_CONCURRENCY === 1 || Boolean(env.DATABASE_URL), {
  path: ["WEB_CONCURRENCY"],
  message: "more than one process needs DATABASE_URL (the embedded database can be opened by one process only)",
});

export type Env = z.infer<typeof EnvSchema> & { APP_URL: string; APP_SECRET: string; MAIL_DIR: string };

let cached: Env | undefined;

/** Validated environment. Without APP_SECRET, a random one is kept in the data folder. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const env = parsed.data;
  cached = {
    ...env,
    APP_URL: (env.APP_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/$/, ""),
    APP_SECRET: env.APP_SECRET ?? loadOrCreateSecret(env.DATA_DIR),
    MAIL_DIR: env.MAIL_DIR ?? path.join(env.DATA_DIR, "mail"),
  };
  return cached;
}

/** Tests change the environment between files. */
export function resetEnvCache() {
  cached = undefined;
}

function loadOrCreateSecret(dataDir: string): string {
  const file = path.resolve(dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function isSecureOrigin(env: Env = getEnv()) {
  return env.APP_URL.startsWith("https://");
}
