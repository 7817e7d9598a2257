/** What the signed-in person does in the winter module, from their memberships. */
import type { Membership } from '$lib/domain/access';

export function winterRoles(memberships: readonly Membership[] | undefined) {
  const has = (r: string) => (memberships ?? []).some((x) => x.role === r);
  return {
    dispatcher: has('dispatcher') || has('admin'),
    crew: has('crew'),
    izs: has('izs'),
    /** The crew member's own districts (the first is their home). */
    districts: (memberships ?? []).flatMap((x) => (x.role === 'crew' ? (x.districts ?? []) : []))
  };
}
