import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOptionalUser } from "~/policy/index.server";

/** Any unknown address: 404 (signed-out visitors are not told whether a page exists). */
export async function loader({ request }: LoaderFunctionArgs) {
  await getOptionalUser(request);
  throw new Response("errors.notFound", { status: 404 });
}

export default function NotFound() {
  return null;
}
