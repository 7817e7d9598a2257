import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AssetDoc } from '../schemas/assets';
import { assetDocId } from './ids';
import { decodeCsv, fold, parseCzechDate, parseCzechNumber, parseRegisterCsv, planImport } from './import';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const people = new Map([[fold('Mgr. Karel Šíma'), 'reditel.gymkt']]);

describe('Czech Excel values', () => {
  it.each([
    ['18 490,00', 18490],
    ['18\u00a0490,50 Kč', 18490.5],
    ['18.490,5', 18490.5],
    ['89000', 89000],
    ['5 490,-', 5490]
  ])('reads the number %s', (raw, n) => expect(parseCzechNumber(raw)).toBe(n));

  it.each(['sedm tisíc', '1,2,3', '-5', '10,555'])('refuses %s as a number', (raw) =>
    expect(parseCzechNumber(raw)).toBeNull()
  );

  it('reads Czech and ISO dates and refuses impossible ones', () => {
    expect(parseCzechDate('1.9.2021')).toBe('2021-09-01');
    expect(parseCzechDate('01. 09. 2021')).toBe('2021-09-01');
    expect(parseCzechDate('2021-09-01')).toBe('2021-09-01');
    expect(parseCzechDate('31.2.2021')).toBeNull();
    expect(parseCzechDate('zítra')).toBeNull();
  });

  it('tells Windows-1250 from UTF-8', () => {
    expect(decodeCsv(fixture('skola-evidence-cp1250.csv')).encoding).toBe('windows-1250');
    expect(decodeCsv(fixture('nemocnice-utf8-bom.csv')).encoding).toBe('utf-8');
    expect(decodeCsv(new TextEncoder().encode('Název;Druh')).encoding).toBe('utf-8');
  });
});

describe('a school register saved by Excel (Windows-1250, semicolons)', () => {
  const preview = parseRegisterCsv(fixture('skola-evidence-cp1250.csv'), { orgId: 'gym-kt', people });

  it('reads every row with its Czech text, numbers and dates', () => {
    expect(preview.fileErrors).toEqual([]);
    expect(preview.delimiter).toBe(';');
    expect(preview.rows).toHaveLength(40);
    expect(preview.rows.every((r) => r.errors.length === 0)).toBe(true);
    const first = preview.rows[0];
    expect(first.line).toBe(2);
    expect(first.fields).toMatchObject({
      inventoryNo: 'GJV-0001',
      kind: 'laptop',
      manufacturer: 'Lenovo',
      price: 28900,
      supplier: 'Alza.cz a.s.',
      state: 'in_use'
    });
    expect(preview.rows.map((r) => r.fields.room)).toContain('kabinet fyziky');
    expect(first.fields.purchaseDate).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('links a holder named in the file to their account', () => {
    const withAccount = preview.rows.find((r) => r.fields.holderName === 'Mgr. Karel Šíma');
    expect((withAccount?.fields as Partial<AssetDoc>).holder).toBe('reditel.gymkt');
  });

  it('adds everything the first time and nothing the second time', () => {
    const first = planImport(preview, 'gym-kt', new Map());
    expect([first.add.length, first.update.length, first.unchanged.length, first.errors.length]).toEqual([40, 0, 0, 0]);
    // The register after the first import: the same fields under the same ids.
    const stored = new Map(
      preview.rows.map((r) => [assetDocId('gym-kt', r.inventoryNo), { ...r.fields } as Partial<AssetDoc>])
    );
    const again = planImport(
      parseRegisterCsv(fixture('skola-evidence-cp1250.csv'), { orgId: 'gym-kt', people }),
      'gym-kt',
      stored
    );
    expect([again.add.length, again.update.length, again.unchanged.length]).toEqual([0, 0, 40]);
  });

  it('updates only rows whose values changed', () => {
    const stored = new Map(
      preview.rows.map((r) => [assetDocId('gym-kt', r.inventoryNo), { ...r.fields } as Partial<AssetDoc>])
    );
    stored.set(assetDocId('gym-kt', 'GJV-0002'), { ...stored.get(assetDocId('gym-kt', 'GJV-0002')), room: 'jinde' });
    const plan = planImport(preview, 'gym-kt', stored);
    expect(plan.update.map((r) => [r.inventoryNo, r.changed])).toEqual([['GJV-0002', ['room']]]);
  });

  it('refuses bringing a retired asset back through an import', () => {
    const stored = new Map([[assetDocId('gym-kt', 'GJV-0001'), { state: 'retired' } as Partial<AssetDoc>]]);
    const plan = planImport(preview, 'gym-kt', stored);
    expect(plan.errors.map((r) => [r.inventoryNo, r.errors])).toEqual([
      ['GJV-0001', ['a retired asset stays retired']]
    ]);
  });
});

describe('a hospital register in UTF-8 with its own column names', () => {
  const preview = parseRegisterCsv(fixture('nemocnice-utf8-bom.csv'), { orgId: 'zhpk' });

  it('maps the columns it knows and names the ones it leaves out', () => {
    expect(preview.fileErrors).toEqual([]);
    expect(preview.ignoredColumns).toEqual(['Středisko']);
    expect(preview.rows.map((r) => r.fields.kind)).toEqual(['server', 'network', 'printer', 'tablet', 'phone']);
    expect(preview.rows.map((r) => r.fields.price)).toEqual([145000, 18700, 89000, 5490, 16990]);
    expect(preview.rows[3].fields.name).toBe('Tablet Samsung; sestry');
    expect(preview.rows[2].fields.site).toBe('Nemocnice Domažlice – příjem');
  });
});

describe('files that cannot be imported', () => {
  it('names the missing columns of a file with wrong columns', () => {
    const preview = parseRegisterCsv(fixture('chybne-sloupce.csv'), { orgId: 'gym-kt' });
    expect(preview.fileErrors).toEqual([
      'missing column "inventární číslo"',
      'missing column "název"',
      'missing column "druh"'
    ]);
    expect(preview.rows).toEqual([]);
  });

  it('gives each bad row its reason and keeps the good one', () => {
    const preview = parseRegisterCsv(fixture('chybne-hodnoty-cp1250.csv'), { orgId: 'gym-kt' });
    expect(preview.fileErrors).toEqual([]);
    const errors = Object.fromEntries(preview.rows.map((r) => [r.line, r.errors]));
    expect(errors[2]).toEqual([]);
    expect(errors[3]).toEqual(['datum pořízení "31.2.2021" is not a date (write e.g. 1. 9. 2021)']);
    expect(errors[4]).toEqual(['cena "sedm tisíc" is not a number (write e.g. 18 490,50)']);
    expect(errors[5][0]).toMatch(/^druh "Kuchyňka" is not known/);
    expect(errors[6]).toEqual(['inventory number GJV-0101 is also on line 2']);
    expect(errors[7]).toEqual(['inventární číslo is empty']);
    expect(errors[8][0]).toMatch(/retired assets are not imported/);
    expect(errors[9]).toEqual(['the warranty ends before the purchase date']);
    const plan = planImport(preview, 'gym-kt', new Map());
    expect(plan.add.map((r) => r.line)).toEqual([2]);
    expect(plan.errors).toHaveLength(7);
  });

  it('refuses text that is not a CSV in a known encoding', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x41]);
    expect(parseRegisterCsv(bytes, { orgId: 'gym-kt' }).fileErrors[0]).toMatch(/cannot be read/);
  });
});
