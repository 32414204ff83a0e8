export { VictimSchema } from "../areas.$area.referrals.$caseId._index/person-schema";
