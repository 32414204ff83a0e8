import { nameKey, normaliseName, phoneticKey, phoneticNameKey } from "../../lib/person-matching";

/**
 * Index keys for repeat detection: each name's normalised and phonetic key, plus
 * the sound of each surname ("s:" prefix) so first-name variants still meet.
 */
export function matchingKeys(values: { firstName?: string; lastName?: string; aliases?: string[] }) {
  const names = [`${values.firstName ?? ""} ${values.lastName ?? ""}`.trim(), ...(values.aliases ?? [])].filter(Boolean);
  const surnames = [values.lastName ?? "", ...(values.aliases ?? []).map((a) => normaliseName(a).split(" ").pop() ?? "")].filter((s) => s.trim().length > 1);
  return {
    nameKeys: [...new Set(names.map(nameKey).filter(Boolean))],
    phoneticKeys: [...new Set([...names.map(phoneticNameKey), ...surnames.map((s) => `s:${phoneticKey(s)}`)].filter((k) => k && k !== "s:"))],
  };
}
