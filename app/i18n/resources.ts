import enAdmin from "./locales/en/admin.json";
import enAuth from "./locales/en/auth.json";
import enCommon from "./locales/en/common.json";
import cyAdmin from "./locales/cy/admin.json";
import cyAuth from "./locales/cy/auth.json";
import cyCommon from "./locales/cy/common.json";

/** One namespace per feature, so each feature owns its strings. */
export const namespaces = ["common", "auth", "admin"] as const;

export const resources = {
  en: { common: enCommon, auth: enAuth, admin: enAdmin },
  cy: { common: cyCommon, auth: cyAuth, admin: cyAdmin },
};
