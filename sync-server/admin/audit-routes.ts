/** `/api/admin/audit`: search the audit log, and export what was found as CSV. */
import type { FastifyInstance } from 'fastify';
import { toCsv } from '../../src/lib/domain/csv';
import type { AdminContext } from './context';
import type { AuditEntry, AuditQuery } from './audit-log';

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', maxLength: 30, pattern: '^\\d{4}-\\d{2}-\\d{2}' },
    to: { type: 'string', maxLength: 30, pattern: '^\\d{4}-\\d{2}-\\d{2}' },
    actor: { type: 'string', maxLength: 100 },
    action: { type: 'string', maxLength: 60 },
    q: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 10000 },
    format: { type: 'string', enum: ['json', 'csv'] }
  }
};

const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

export function auditRoutes(app: FastifyInstance, ctx: AdminContext) {
  app.get('/api/admin/audit', { schema: { querystring: querySchema } }, async (request, reply) => {
    const q = request.query as AuditQuery & { format?: 'json' | 'csv' };
    if (q.format !== 'csv') return { entries: await ctx.audit.search(q) };
    const entries = await ctx.audit.search({ ...q, limit: q.limit ?? 10_000 });
    const csv = toCsv<AuditEntry>(
      entries,
      [
        { header: 'at', value: (e) => e.at },
        { header: 'actor', value: (e) => e.actor },
        { header: 'ip', value: (e) => e.ip },
        { header: 'action', value: (e) => e.action },
        { header: 'target', value: (e) => e.target },
        { header: 'detail', value: (e) => e.detail },
        { header: 'before', value: (e) => json(e.before) },
        { header: 'after', value: (e) => json(e.after) }
      ],
      ';'
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
      .send(csv);
  });
}
