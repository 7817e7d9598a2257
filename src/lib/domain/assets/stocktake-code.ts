/**
 * What an inventory label's code carries, and how a scanned text is read back.
 *
 * Our labels encode `ICT1|<org>|<inventory number>` so a scan tells whose asset it is (an
 * inventory number is unique only within its organization, and a committee may find another
 * organization's equipment on site). Older labels from an organization's previous system carry
 * the bare inventory number (often Code 128), so any other text is taken as an inventory
 * number of the organization being counted. Whether it is one is the reconciliation's
 * question: a code that matches nothing is recorded as unknown (přebytek), never refused.
 */

export const LABEL_PREFIX = 'ICT1';
const ORG_ID = /^[a-z0-9-]{2,40}$/;
/** Longest inventory number the register accepts; longer scanned texts are cut, not refused. */
export const MAX_CODE_LENGTH = 60;

export interface ParsedCode {
  /** The organization named on the label, when it is one of ours. */
  orgId?: string;
  /** The inventory number as the register compares it (see `normalizeInventoryNo`). */
  inventoryNo: string;
}

/**
 * Inventory numbers compare without surrounding or inner whitespace and case: a typed
 * `gkt 0012` and a scanned `GKT0012` are the same label, while `/`, `-` and `.` stay
 * significant (Czech registers use them as separators with meaning, e.g. `DHM/2019/12`).
 */
export function normalizeInventoryNo(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase().slice(0, MAX_CODE_LENGTH);
}

/** The text a label's QR code holds. */
export function labelPayload(orgId: string, inventoryNo: string): string {
  return `${LABEL_PREFIX}|${orgId}|${inventoryNo}`;
}

export function parseCode(raw: string): ParsedCode {
  const text = raw.trim();
  const parts = text.split('|');
  if (parts.length === 3 && parts[0] === LABEL_PREFIX && ORG_ID.test(parts[1]) && parts[2].trim() !== '') {
    return { orgId: parts[1], inventoryNo: normalizeInventoryNo(parts[2]) };
  }
  return { inventoryNo: normalizeInventoryNo(text) };
}
