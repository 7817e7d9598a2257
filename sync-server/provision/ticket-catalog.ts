/**
 * The ticket categories and priorities the region's catalog offers, as the gateway needs them
 * to refuse a ticket whose category or priority is not in the catalog. Loaded from
 * `region_catalog` at start and reloaded when that database changes; a failed reload keeps
 * the last good list rather than refusing every ticket.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { regionDb } from '../../src/lib/domain/databases';
import type { TicketCatalog } from '../../src/lib/domain/tickets/check';

export const CATALOG_DB = regionDb('catalog');

interface CatalogDoc {
  _id: string;
  kind?: string;
  priority?: string;
  onSite?: boolean;
  userId?: string;
  districts?: string[];
}

export class TicketCatalogCache {
  private current: TicketCatalog | undefined;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly log: FastifyBaseLogger
  ) {}

  /** Undefined until loaded, or when the catalog defines no categories (checks are then skipped). */
  get(): TicketCatalog | undefined {
    return this.current;
  }

  async reload(): Promise<void> {
    try {
      const res = await this.couch.use<CatalogDoc>(CATALOG_DB).list({ include_docs: true });
      const docs = res.rows.map((r) => r.doc).filter((d): d is CatalogDoc & nano.DocumentGetResponse => !!d);
      const categories = docs.filter((d) => d.kind === 'category').map((d) => d._id);
      const priorities = docs.filter((d) => d.kind === 'sla' && d.priority).map((d) => d.priority as string);
      const assign = {
        onSiteCategories: docs.filter((d) => d.kind === 'category' && d.onSite === true).map((d) => d._id),
        contractors: docs
          .filter((d) => d.kind === 'contractor' && d.userId)
          .map((d) => ({ userId: d.userId as string, districts: d.districts ?? [] }))
      };
      this.current =
        categories.length > 0
          ? { categories, priorities: priorities.length > 0 ? priorities : undefined, assign }
          : undefined;
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'catalog reload failed; keeping the last one');
    }
  }
}
