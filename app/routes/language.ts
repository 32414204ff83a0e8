import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLanguage, LANGUAGE_COOKIE } from "~/i18n/config";
import { safeRedirect } from "~/lib/safe-redirect";

/** Public: choose English or Welsh; kept in a cookie for a year. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get("lang");
  const to = safeRedirect(form.get("redirectTo"));
  if (!isLanguage(lang)) return redirect(to);
  return redirect(to, { headers: { "Set-Cookie": `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax` } });
}

export function loader() {
  return redirect("/");
}
