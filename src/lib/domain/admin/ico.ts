/**
 * IČO, the Czech identification number of a legal person: eight digits, the last a check
 * digit of the first seven (weights 8…2, modulo 11). A mistyped digit changes the sum, so the
 * check catches most typos before an organization is created under a wrong number.
 * Older numbers were written with fewer digits; they are padded with leading zeros.
 */

export type IcoProblem = 'format' | 'checksum';

/** The normalized eight-digit IČO, or the problem with it. */
export function parseIco(input: string): { ico: string } | { problem: IcoProblem } {
  const compact = input.replace(/\s+/g, '');
  if (!/^\d{6,8}$/.test(compact)) return { problem: 'format' };
  const ico = compact.padStart(8, '0');
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(ico[i]) * (8 - i);
  const check = (11 - (sum % 11)) % 10;
  return check === Number(ico[7]) ? { ico } : { problem: 'checksum' };
}

export function isValidIco(input: string): boolean {
  return 'ico' in parseIco(input);
}
