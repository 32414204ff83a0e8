import type { MetaFunction } from "@remix-run/node";
import { personAction, personLoader } from "../areas.$area.referrals.$caseId._index/people.server";
import { PersonPage } from "../areas.$area.referrals.$caseId._index/people-ui";
import { revalidateOnConflict } from "../areas.$area.referrals.$caseId._index/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = personLoader("perpetrators");
export const action = personAction("perpetrators");

export default PersonPage;
