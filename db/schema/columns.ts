import { integer, timestamp, uuid } from "drizzle-orm/pg-core";

/** Random (not sequential) primary key, per DESIGN.md. */
export const id = () => uuid().primaryKey().defaultRandom();
export const createdAt = () => timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow();
export const updatedAt = () => timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow();
/** Optimistic-concurrency counter: every edit must name the version it read. */
export const version = () => integer().notNull().default(1);
export const tstz = () => timestamp({ withTimezone: true, mode: "date" });
