/**
 * One list of figures, each with its target, rendered as the console table and as the
 * README's Markdown table, so both always say the same thing.
 */
import type { Summary } from './stats';

export interface Figure {
  id: string;
  what: string;
  unit: 'ms' | 'x' | 'KB' | 'count' | 's';
  value: Summary | number;
  /** Human form of the target, e.g. "≤ 1.25". */
  target?: string;
  met?: boolean;
}

const fmtNum = (n: number, unit: Figure['unit']) => {
  if (!Number.isFinite(n)) return '–';
  if (unit === 'x') return n.toFixed(2);
  if (unit === 'count') return String(Math.round(n));
  if (unit === 'KB') return n.toFixed(1);
  if (unit === 's') return n.toFixed(2);
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
};

export function valueText(f: Figure): { median: string; range: string } {
  if (typeof f.value === 'number') return { median: fmtNum(f.value, f.unit), range: '' };
  const s = f.value;
  return {
    median: fmtNum(s.median, f.unit),
    range: s.runs > 1 ? `${fmtNum(s.min, f.unit)}–${fmtNum(s.max, f.unit)} (n=${s.runs})` : ''
  };
}

const verdict = (f: Figure) => (f.met === undefined ? '' : f.met ? 'met' : 'MISSED');

export function consoleTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const v = valueText(f);
    return [f.id, f.what, `${v.median} ${f.unit}`, v.range, f.target ?? '', verdict(f)];
  });
  const head = ['#', 'figure', 'median', 'min–max', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const v = valueText(f);
    return `| ${f.id} | ${f.what} | ${v.median} ${f.unit} | ${v.range} | ${f.target ?? ''} | ${verdict(f)} |`;
  });
  return ['| # | figure | median | min–max | target | |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
