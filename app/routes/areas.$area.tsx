import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { setSessionArea } from "~/models/auth/sessions.server";
import { requireAreaMember } from "~/policy/index.server";

/** Remembers the panel the user is working in. Child routes do their own checks. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAreaMember(request, params.area);
  if (ctx.user.currentAreaId !== ctx.area.id) await setSessionArea(ctx.user.sessionId, ctx.area.id);
  return null;
}

export default function AreaLayout() {
  return <Outlet />;
}
