/** The register as a CSV for Excel in a Czech locale: semicolons, the columns the import reads back. */
import { toCsv, type CsvColumn } from '$lib/domain/csv';
import type { AssetDoc } from '$lib/domain/schemas/assets';

export function assetsCsv(
  rows: readonly AssetDoc[],
  labels: {
    org: ReadonlyMap<string, string>;
    kind: (k: AssetDoc['kind']) => string;
    state: (s: AssetDoc['state']) => string;
  }
): string {
  const czDay = (d?: string) => (d ? `${Number(d.slice(8, 10))}.${Number(d.slice(5, 7))}.${d.slice(0, 4)}` : '');
  const columns: CsvColumn<AssetDoc>[] = [
    { header: 'Organizace', value: (a) => labels.org.get(a.orgId) ?? a.orgId },
    { header: 'Inventární číslo', value: (a) => a.inventoryNo },
    { header: 'Název', value: (a) => a.name },
    { header: 'Druh', value: (a) => labels.kind(a.kind) },
    { header: 'Výrobce', value: (a) => a.manufacturer },
    { header: 'Model', value: (a) => a.model },
    { header: 'Sériové číslo', value: (a) => a.serialNo },
    { header: 'Umístění', value: (a) => a.site },
    { header: 'Místnost', value: (a) => a.room },
    { header: 'Uživatel', value: (a) => a.holderName ?? a.holder },
    { header: 'Datum pořízení', value: (a) => czDay(a.purchaseDate) },
    { header: 'Cena', value: (a) => (a.price === undefined ? '' : String(a.price).replace('.', ',')) },
    { header: 'Dodavatel', value: (a) => a.supplier },
    { header: 'Záruka do', value: (a) => czDay(a.warrantyEnd) },
    { header: 'Stav', value: (a) => labels.state(a.state) }
  ];
  return toCsv(rows, columns, ';');
}
