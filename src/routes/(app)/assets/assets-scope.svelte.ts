/**
 * What the register screens need to know of the person: the organizations whose register the
 * device holds, those they may write, and the organizations' names and districts.
 */
import { parseDbName } from '$lib/domain/databases';
import type { OrgInfo } from '$lib/domain/access';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';
import { typed, type OrgDoc } from '$lib/ui/collections';

export function assetsScope() {
  const db = $derived(typed(session.db!));
  const orgDocs = live(() => db.region('orgs'), []);
  const orgs = $derived(orgDocs.current.map((d) => d.toJSON() as unknown as OrgDoc));
  const databases = $derived(
    (session.me?.databases ?? []).flatMap((d) => {
      const ref = parseDbName(d.db);
      return ref?.kind === 'org' && ref.collection === 'assets' ? [{ orgId: ref.orgId, write: d.write }] : [];
    })
  );
  return {
    get orgs(): OrgDoc[] {
      return orgs;
    },
    /** Organizations whose register this device holds, sorted. */
    get orgIds(): string[] {
      return databases.map((d) => d.orgId).sort();
    },
    canWrite(orgId: string): boolean {
      return databases.some((d) => d.orgId === orgId && d.write);
    },
    get anyWritable(): boolean {
      return databases.some((d) => d.write);
    },
    org(orgId: string): OrgInfo | undefined {
      return orgs.find((o) => o.id === orgId) as unknown as OrgInfo | undefined;
    },
    name(orgId: string): string {
      return orgs.find((o) => o.id === orgId)?.shortName ?? orgId;
    }
  };
}
