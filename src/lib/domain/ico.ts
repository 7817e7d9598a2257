/**
 * IČO, the Czech company identification number: eight digits, the last a check digit
 * (weights 8..2 over the first seven, then (11 - sum mod 11) mod 10). Older seven-digit
 * numbers are written with a leading zero, so they are padded before the check.
 */
export function normalizeIco(input: string): string {
  const digits = input.replace(/\s+/g, '');
  return /^\d{1,8}$/.test(digits) ? digits.padStart(8, '0') : digits;
}

export function isValidIco(input: string): boolean {
  const ico = normalizeIco(input);
  if (!/^\d{8}$/.test(ico)) return false;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(ico[i]) * (8 - i);
  return (11 - (sum % 11)) % 10 === Number(ico[7]);
}
