import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/policy/index.server";

/** Any unknown address: sign-in first (so nothing is revealed to strangers), then 404. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw new Response("errors.notFound", { status: 404 });
}

export default function NotFound() {
  return null;
}
