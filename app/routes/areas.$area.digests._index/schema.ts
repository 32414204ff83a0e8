import { z } from "zod";

/** Queue this period's digest for every agency not yet sent. */
export const SendDigestsSchema = z.object({ intent: z.literal("send", { errorMap: () => ({ message: "errors.invalid" }) }) });
