/**
 * The registry of inbox sources: what can wait on a person. A module that has such work adds
 * its source (an `InboxSource`, see `inbox-source.ts`) in its own file and ONE row here; the
 * inbox screen, the navigation badge and the home page pick it up with no other change.
 *
 * A row names the databases its source reads and loads the source's code on demand: a person
 * who reads no approvals or contracts never fetches their screens' labels and rules.
 */
import { parseDbName, type OrgCollection } from '$lib/domain/databases';
import type { InboxSource } from './inbox-source';

export interface InboxSourceEntry {
  id: string;
  /** The source has work only for someone who reads one of these organization databases. */
  reads: readonly OrgCollection[];
  load(): Promise<InboxSource>;
}

export const INBOX_SOURCES: readonly InboxSourceEntry[] = [
  { id: 'tickets', reads: ['tickets'], load: async () => (await import('./inbox-portal-sources.svelte')).ticketInbox },
  { id: 'tasks', reads: ['tasks'], load: async () => (await import('./inbox-portal-sources.svelte')).taskInbox },
  { id: 'approvals', reads: ['approvals'], load: async () => (await import('./approval-inbox.svelte')).approvalInbox },
  {
    id: 'contracts',
    reads: ['contracts'],
    load: async () => (await import('$lib/ui/contracts/inbox-contracts.svelte')).contractInbox
  }
];

/** The sources with possible work for someone who reads `databases` (`org_<org>_<collection>` names). */
export function sourcesFor(databases: readonly { db: string }[]): InboxSourceEntry[] {
  const kinds = new Set(databases.map((d) => parseDbName(d.db)).map((r) => (r?.kind === 'org' ? r.collection : null)));
  return INBOX_SOURCES.filter((s) => s.reads.some((r) => kinds.has(r)));
}

const loaded = new Map<string, InboxSource>();

export async function loadSource(entry: InboxSourceEntry): Promise<InboxSource> {
  const source = loaded.get(entry.id) ?? (await entry.load());
  if (source.id !== entry.id) throw new Error(`inbox source ${entry.id} loaded as ${source.id}`);
  loaded.set(entry.id, source);
  return source;
}

/** A loaded source (every item in the inbox comes from one). */
export const sourceOf = (id: string): InboxSource | undefined => loaded.get(id);
