/**
 * The secure-domain policy (DESIGN.md section 7): an address is accredited when
 * its domain is one of the area's listed domains or a subdomain of one.
 * Entries may be written "nhs.net", ".nhs.net", "*.nhs.net" or "@nhs.net".
 */
export function normaliseDomain(entry: string): string {
  return entry
    .trim()
    .toLowerCase()
    .replace(/^(\*\.|@|\.)+/, "")
    .replace(/\.$/, "");
}

/** One mailbox, bare or as `Name <local@domain>`: no lists, no second address, no quoting. */
const MAILBOX = /^(?:[^<>@,;:"]*<([^\s<>@,;:"]+)@([^\s<>@,;:"]+)>|([^\s<>@,;:"]+)@([^\s<>@,;:"]+))$/;
const HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/**
 * The domain of a single address, lower-cased; "" for anything else (a list
 * of addresses would be sent to every one of them, so it is never accredited).
 */
export function domainOf(address: string): string {
  const match = MAILBOX.exec(address.trim());
  if (!match) return "";
  const domain = (match[2] ?? match[4]).toLowerCase().replace(/\.$/, "");
  return HOST.test(domain) ? domain : "";
}

export function isAccreditedAddress(address: string, secureDomains: readonly string[]): boolean {
  const domain = domainOf(address);
  if (!domain) return false;
  return secureDomains.some((entry) => {
    const suffix = normaliseDomain(entry);
    return suffix.length > 0 && (domain === suffix || domain.endsWith(`.${suffix}`));
  });
}
