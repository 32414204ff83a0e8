import { z } from "zod";
import { parseDob } from "~/lib/person-matching";
import { noMarkup, required, text } from "~/lib/validation";

/** Field building blocks shared by the referral forms. Messages are i18n keys. */
export const NAME_MAX = 100;
export const SHORT_MAX = 200;
export const ADDRESS_MAX = 500;
export const FREE_TEXT_MAX = 2000;

const tooLong = (max: number) => `errors.tooLong|${JSON.stringify({ max })}`;

export const requiredText = (max: number, requiredKey: string) => noMarkup(text({ max, requiredKey }));

/** Optional text, stored as "" when left blank. */
export const optionalText = (max: number) => noMarkup(z.string().trim().max(max, tooLong(max))).optional().default("");

export const checkbox = z.boolean(required("errors.invalid")).optional().default(false);

/** Yes / no radios; unanswered is null. */
export const yesNo = z
  .enum(["yes", "no"], { errorMap: () => ({ message: "referrals:errors.yesNo" }) })
  .optional()
  .transform((v) => (v === "yes" ? true : v === "no" ? false : null));

function lines(value: string | undefined) {
  return (value ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** One alias per line. */
export const aliases = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const list = lines(value);
    if (list.length > 20) ctx.addIssue({ code: "custom", message: "referrals:errors.tooManyLines|{\"max\":20}" });
    else if (list.some((l) => l.length > NAME_MAX)) ctx.addIssue({ code: "custom", message: tooLong(NAME_MAX) });
    else if (list.some((l) => /[<>]/.test(l))) ctx.addIssue({ code: "custom", message: "errors.noMarkup" });
    return list;
  });

/** Dates of birth, one per line, in any common UK format; stored as ISO dates. */
export const dobs = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const list = lines(value);
    if (list.length > 5) {
      ctx.addIssue({ code: "custom", message: "referrals:errors.tooManyLines|{\"max\":5}" });
      return [];
    }
    const out: string[] = [];
    for (const line of list) {
      const iso = line.length <= 30 ? parseDob(line) : null;
      if (!iso) {
        ctx.addIssue({ code: "custom", message: "referrals:errors.dobInvalid" });
        return [];
      }
      if (!out.includes(iso)) out.push(iso);
    }
    return out;
  });

/** A date that has happened (today or earlier), in a UK format or ISO; stored as ISO. */
export const pastDate = (requiredKey: string) =>
  z.string(required(requiredKey)).transform((value, ctx) => {
    const trimmed = value.trim();
    const iso = trimmed.length <= 30 ? parseDob(trimmed, { today: "9999-12-31" }) : null;
    if (!iso) {
      ctx.addIssue({ code: "custom", message: "referrals:errors.dateInvalid" });
      return z.NEVER;
    }
    if (iso > new Date().toISOString().slice(0, 10)) {
      ctx.addIssue({ code: "custom", message: "referrals:errors.dateFuture" });
      return z.NEVER;
    }
    return iso;
  });

/** ISO date as the forms show it: 7/3/1990. */
export function ukDate(iso: string | null | undefined) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  return `${d}/${m}/${y}`;
}
