import { boolean, index, pgEnum, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { areas } from "./areas";
import { createdAt, id, updatedAt, version } from "./columns";

export const agencyKinds = [
  "police",
  "health",
  "housing",
  "childrens_services",
  "adult_services",
  "probation",
  "idva_service",
  "education",
  "mental_health",
  "substance_misuse",
  "fire",
  "specialist_da",
  "other",
] as const;
export type AgencyKind = (typeof agencyKinds)[number];
export const agencyKindEnum = pgEnum("agency_kind", agencyKinds);

export const agencies = pgTable(
  "agencies",
  {
    id: id(),
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    name: text().notNull(),
    kind: agencyKindEnum().notNull(),
    secureEmail: text(),
    isVerifier: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.areaId, t.name), index().on(t.areaId)],
);

export type Agency = typeof agencies.$inferSelect;
