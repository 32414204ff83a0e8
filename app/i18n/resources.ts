import enActions from "./locales/en/actions.json";
import enAdmin from "./locales/en/admin.json";
import enAudit from "./locales/en/audit.json";
import enAuth from "./locales/en/auth.json";
import enCases from "./locales/en/cases.json";
import enCommon from "./locales/en/common.json";
import enContact from "./locales/en/contact.json";
import enMail from "./locales/en/mail.json";
import enMeetings from "./locales/en/meetings.json";
import enMeetingRoom from "./locales/en/meetingRoom.json";
import enPreparation from "./locales/en/preparation.json";
import enReferrals from "./locales/en/referrals.json";
import cyActions from "./locales/cy/actions.json";
import cyAdmin from "./locales/cy/admin.json";
import cyAudit from "./locales/cy/audit.json";
import cyAuth from "./locales/cy/auth.json";
import cyCases from "./locales/cy/cases.json";
import cyCommon from "./locales/cy/common.json";
import cyContact from "./locales/cy/contact.json";
import cyMail from "./locales/cy/mail.json";
import cyMeetings from "./locales/cy/meetings.json";
import cyMeetingRoom from "./locales/cy/meetingRoom.json";
import cyPreparation from "./locales/cy/preparation.json";
import cyReferrals from "./locales/cy/referrals.json";

/** One namespace per feature, so each feature owns its strings. */
export const namespaces = ["common", "auth", "admin", "audit", "cases", "referrals", "meetings", "preparation", "contact", "actions", "meetingRoom", "mail"] as const;

export const resources = {
  en: { common: enCommon, auth: enAuth, admin: enAdmin, audit: enAudit, cases: enCases, referrals: enReferrals, meetings: enMeetings, contact: enContact, preparation: enPreparation, actions: enActions, meetingRoom: enMeetingRoom, mail: enMail },
  cy: { common: cyCommon, auth: cyAuth, admin: cyAdmin, audit: cyAudit, cases: cyCases, referrals: cyReferrals, meetings: cyMeetings, contact: cyContact, preparation: cyPreparation, actions: cyActions, meetingRoom: cyMeetingRoom, mail: cyMail },
};
