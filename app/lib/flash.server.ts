import { createCookie, redirect } from "@remix-run/node";
import { getEnv, isSecureOrigin } from "~/env.server";

/** A one-shot message shown after a redirect: an i18n key and its values. */
export interface Flash {
  key: string;
  values?: Record<string, string | number>;
  kind?: "success" | "info";
}

function flashCookie() {
  return createCookie("panel_flash", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: isSecureOrigin(),
    secrets: [getEnv().APP_SECRET],
    maxAge: 60,
  });
}

export async function redirectWithFlash(url: string, flash: Flash, init: { headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await flashCookie().serialize(flash));
  return redirect(url, { headers });
}

/** The pending flash message, and the header that clears it. */
export async function readFlash(request: Request): Promise<{ flash: Flash | null; headers: Headers }> {
  const cookie = flashCookie();
  const value = (await cookie.parse(request.headers.get("Cookie"))) as Flash | null;
  const headers = new Headers();
  if (value) headers.append("Set-Cookie", await cookie.serialize("", { maxAge: 0 }));
  return { flash: value && typeof value.key === "string" ? value : null, headers };
}
