import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { areaPath, requireUser } from "~/policy/index.server";

/** Send a signed-in user to their current panel, or to the panel chooser. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const current = user.memberships.find((m) => m.areaId === user.currentAreaId) ?? user.memberships[0];
  const distinctAreas = new Set(user.memberships.map((m) => m.areaId));
  if (!current || (distinctAreas.size > 1 && !user.currentAreaId)) throw redirect("/areas");
  throw redirect(areaPath(current.areaCode));
}
