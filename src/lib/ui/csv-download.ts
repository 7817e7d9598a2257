/**
 * Saves CSV text (from `toCsv` in `$lib/domain/csv`, which adds the byte-order mark) as a file
 * the browser downloads. Built on the device, so an export works offline as well.
 */
export function downloadCsv(fileName: string, csvText: string): void {
  const blob = new Blob([csvText], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.endsWith('.csv') ? fileName : `${fileName}.csv`;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; revoking later lets slow browsers read the blob first.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
