import { isSecureOrigin } from "~/env.server";
import { decrypt, encrypt } from "~/lib/crypto.server";

/**
 * New recovery codes reach the page that shows them once through a
 * five-minute cookie, encrypted (it holds secrets) and bound to the user, so
 * a refresh of the form's POST never mints a second set.
 */
const COOKIE = "panel_recovery_codes";
const MAX_AGE_SECONDS = 5 * 60;
// Covers the page and its single-fetch data request (…/recovery-codes.data).
const PATH = "/account/two-factor";

function attributes(maxAge: number) {
  const parts = [`Path=${PATH}`, "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`];
  if (isSecureOrigin()) parts.push("Secure");
  return parts.join("; ");
}

export function recoveryCodesCookie(userId: string, codes: string[]): string {
  const sealed = encrypt(new TextEncoder().encode(JSON.stringify({ u: userId, c: codes, t: Date.now() })));
  return `${COOKIE}=${encodeURIComponent(sealed)}; ${attributes(MAX_AGE_SECONDS)}`;
}

export function clearRecoveryCodesCookie(): string {
  return `${COOKIE}=; ${attributes(0)}`;
}

/** The codes waiting to be shown to this user, or null. */
export function readRecoveryCodes(request: Request, userId: string): string[] | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name !== COOKIE) continue;
    try {
      const payload = JSON.parse(new TextDecoder().decode(decrypt(decodeURIComponent(rest.join("="))))) as { u?: unknown; c?: unknown; t?: unknown };
      if (payload.u !== userId || typeof payload.t !== "number" || Date.now() - payload.t > MAX_AGE_SECONDS * 1000) return null;
      if (!Array.isArray(payload.c) || !payload.c.every((c) => typeof c === "string")) return null;
      return payload.c as string[];
    } catch {
      return null;
    }
  }
  return null;
}
