/**
 * Hours of service: the deadline clock of an order runs only while the order is served
 * (e.g. II. and III. order not between 22:00 and 02:00). Service hours are wall-clock times in
 * Prague, so a window keeps its local hours across daylight-saving changes.
 */
import { TZDate } from '@date-fns/tz';

const ZONE = 'Europe/Prague';
const DAY = 86_400_000;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function localMidnight(ms: number): TZDate {
  const d = new TZDate(ms, ZONE);
  return new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), 0, 0, ZONE);
}

function at(day: TZDate, minutes: number): number {
  return new TZDate(
    day.getFullYear(),
    day.getMonth(),
    day.getDate(),
    Math.floor(minutes / 60),
    minutes % 60,
    ZONE
  ).getTime();
}

/** Service windows `[start, end)` in ms that touch the local day of `day`. */
function windowsOfDay(day: TZDate, from: number, to: number): [number, number][] {
  const next = new TZDate(day.getFullYear(), day.getMonth(), day.getDate() + 1, 0, 0, ZONE).getTime();
  if (from < to) return [[at(day, from), at(day, to)]];
  // Service across midnight (e.g. 06:00–02:00): the evening part and the early-morning part.
  return [
    [day.getTime(), at(day, to)],
    [at(day, from), next]
  ];
}

/** Milliseconds of service between two instants; no hours given means every millisecond. */
export function serviceMsBetween(startMs: number, endMs: number, serviceFrom?: string, serviceTo?: string): number {
  if (endMs <= startMs) return 0;
  if (!serviceFrom || !serviceTo || serviceFrom === serviceTo) return endMs - startMs;
  const from = minutesOf(serviceFrom);
  const to = minutesOf(serviceTo);
  let total = 0;
  for (let day = localMidnight(startMs); day.getTime() < endMs; day = localMidnight(day.getTime() + DAY + 3_600_000)) {
    for (const [a, b] of windowsOfDay(day, from, to)) total += Math.max(0, Math.min(b, endMs) - Math.max(a, startMs));
  }
  return total;
}

export function inServiceAt(ms: number, serviceFrom?: string, serviceTo?: string): boolean {
  return serviceMsBetween(ms, ms + 1, serviceFrom, serviceTo) === 1;
}
