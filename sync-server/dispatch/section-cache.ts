/**
 * The road sections as the gateway needs them to refuse a deník entry on a section that does
 * not exist: loaded from `region_sections` at start and reloaded when that database changes.
 * A failed reload keeps the last good list rather than refusing every report.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { regionDb } from '../../src/lib/domain/databases';
import type { SectionRef } from '../../src/lib/domain/dispatch/types';

export const SECTIONS_DB = regionDb('sections');

type Ref = Pick<SectionRef, 'district' | 'order' | 'unmaintained'>;

export class SectionCache {
  private current: Map<string, Ref> | undefined;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly log: FastifyBaseLogger
  ) {}

  get(): ReadonlyMap<string, Ref> | undefined {
    return this.current;
  }

  async reload(): Promise<void> {
    try {
      const res = await this.couch.use<SectionRef>(SECTIONS_DB).list({ include_docs: true });
      const next = new Map<string, Ref>();
      for (const r of res.rows) {
        const d = r.doc;
        if (!d || r.id.startsWith('_design/') || (d as { _deleted?: boolean })._deleted) continue;
        next.set(r.id, { district: d.district, order: d.order, unmaintained: d.unmaintained });
      }
      this.current = next;
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'road section reload failed; keeping the last list');
    }
  }
}
