import { z } from "zod";
import { version } from "~/lib/validation";

const tooLong = (max: number) => `errors.tooLong|${JSON.stringify({ max })}`;

/** An optional corrected value: blank means "no change". */
const corrected = (max: number) =>
  z
    .string()
    .max(max, tooLong(max))
    .refine((v) => !/[<>]/.test(v), "errors.noMarkup")
    .optional();

export const CheckAnswerSchema = z.object({
  version,
  status: z.enum(["confirmed", "corrected", "not_known"], { errorMap: () => ({ message: "preparation:verification.errors.statusRequired" }) }),
  firstName: corrected(100),
  lastName: corrected(100),
  aliases: corrected(1000),
  dobs: corrected(200),
  address: corrected(500),
  nhsNumber: corrected(20),
});
