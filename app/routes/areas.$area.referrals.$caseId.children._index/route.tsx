import type { MetaFunction } from "@remix-run/node";
import { peopleListLoader } from "../areas.$area.referrals.$caseId._index/people.server";
import { PeopleListPage } from "../areas.$area.referrals.$caseId._index/people-ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export const loader = peopleListLoader("children");

export default PeopleListPage;
