import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordSignOut } from "~/models/auth/sign-in.server";
import { blankSessionCookie, invalidateSession } from "~/models/auth/sessions.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { getOptionalUser } from "~/policy/index.server";

export async function action({ request }: ActionFunctionArgs) {
  const user = await getOptionalUser(request);
  if (!user) return redirect("/sign-in", { headers: { "Set-Cookie": blankSessionCookie() } });
  await invalidateSession(user.sessionId);
  await recordSignOut({ userId: user.id, ip: user.actor.ip });
  return redirectWithFlash("/sign-in", { key: "auth:signOut.done", kind: "info" }, { headers: { "Set-Cookie": blankSessionCookie() } });
}

export function loader() {
  return redirect("/");
}
