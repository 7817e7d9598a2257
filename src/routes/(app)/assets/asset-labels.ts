/** Words for the register's codes in the current language. */
import { numberFormat } from '$lib/i18n/intl-cache';
import { m } from '$lib/i18n';
import type { AssetKind, AssetState } from '$lib/domain/schemas/assets';

type Msg = Record<string, () => string>;

export const kindLabel = (k: AssetKind): string => (m as unknown as Msg)[`assets_kind_${k}`]?.() ?? k;
export const stateLabel = (s: AssetState): string => (m as unknown as Msg)[`assets_state_${s}`]?.() ?? s;
export const fieldLabel = (f: string): string => (m as unknown as Msg)[`assets_field_${f}`]?.() ?? f;
export const actionLabel = (a: string): string => (m as unknown as Msg)[`assets_action_${a}`]?.() ?? a;

/** `2026-03-05` as the person's locale writes a day. */
export function formatDay(day: string | undefined): string {
  if (!day) return '';
  return new Date(`${day}T12:00:00Z`).toLocaleDateString(m.assets_locale_tag(), { timeZone: 'UTC' });
}

export function formatCzk(n: number | undefined): string {
  if (n === undefined) return '';
  return numberFormat(m.assets_locale_tag(), { style: 'currency', currency: 'CZK' }).format(n);
}
