import QRCode from "qrcode";
import { describePendingKey, startTwoFactorEnrolment, type EnrolmentDetails } from "~/models/auth/two-factor.server";
import type { CurrentUser } from "~/policy/index.server";

export interface EnrolmentView {
  pendingKey: string;
  keyText: string;
  /** Markup from the qrcode package: an <svg> of paths with presentation attributes only (no style, no script). */
  qrSvg: string;
}

async function view(pendingKey: string, details: EnrolmentDetails): Promise<EnrolmentView> {
  return { pendingKey, keyText: details.keyText, qrSvg: await QRCode.toString(details.uri, { type: "svg", margin: 2 }) };
}

export async function newEnrolmentView(user: CurrentUser): Promise<EnrolmentView> {
  const { pendingKey, details } = await startTwoFactorEnrolment({ actor: user.actor, userId: user.id, email: user.email });
  return view(pendingKey, details);
}

/** The same key again after a refused code, or null when the sealed key does not open. */
export async function pendingEnrolmentView(user: CurrentUser, pendingKey: unknown): Promise<EnrolmentView | null> {
  if (typeof pendingKey !== "string") return null;
  const details = describePendingKey(user.id, user.email, pendingKey);
  return details ? view(pendingKey, details) : null;
}
