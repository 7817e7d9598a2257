/**
 * `/api/admin/orgs`: list, create, edit, close and reopen organizations, and import the list
 * from CSV. Creating one provisions its databases before the answer (the registry reload
 * does it), so the people given roles in it next can use it at once. Closing keeps every
 * document and refuses writes (the gateway's closed check); nothing is ever deleted.
 */
import type { FastifyInstance } from 'fastify';
import { financeHistoryAfter } from '../../src/lib/domain/portal/rule-sets';
import { validateOrgInput, type OrgProblem } from '../../src/lib/domain/admin/org-input';
import { ORGS_DB } from '../provision/org-registry';
import type { AdminContext } from './context';
import { readOrgCsv } from './org-csv';
import { getOrgDoc, listOrgDocs, newOrgDoc, orgView, type OrgDoc } from './org-store';
import { isStatus } from '../couch-status';

const siteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: {
    id: { type: 'string', maxLength: 40 },
    name: { type: 'string', maxLength: 200 },
    address: { type: 'string', maxLength: 300 }
  }
};
const orgFields = {
  name: { type: 'string', maxLength: 200 },
  shortName: { type: 'string', maxLength: 60 },
  ico: { type: 'string', maxLength: 20 },
  kind: { type: 'string', maxLength: 20 },
  district: { type: 'string', maxLength: 4 },
  founder: { type: 'string', maxLength: 60 },
  address: { type: 'string', maxLength: 300 },
  sites: { type: 'array', maxItems: 200, items: siteSchema },
  allowBudgetAccountantSamePerson: { type: 'boolean' },
  invoicesNeedBudget: { type: 'boolean' }
};
const createSchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'shortName', 'ico', 'kind', 'district'],
    properties: { id: { type: 'string', maxLength: 60 }, ...orgFields }
  }
};
const editSchema = {
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 60 } } },
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'shortName', 'ico', 'kind', 'district'],
    properties: orgFields
  }
};
const idParams = { params: editSchema.params };

const invalid = (problems: OrgProblem[]) => ({
  error: 'invalid',
  reason: problems.map((p) => p.reason).join('; '),
  problems
});

export function orgRoutes(app: FastifyInstance, ctx: AdminContext) {
  const now = () => new Date().toISOString();
  const changed = async () => {
    ctx.notify(ORGS_DB);
    await ctx.orgs.reload();
  };

  app.get('/api/admin/orgs', async () => ({ orgs: (await listOrgDocs(ctx.couch)).map(orgView) }));

  app.post('/api/admin/orgs', { schema: createSchema }, async (request, reply) => {
    const existing = new Set((await listOrgDocs(ctx.couch)).map((d) => d._id));
    const checked = validateOrgInput(request.body as Record<string, unknown>, (id) => existing.has(id));
    if ('problems' in checked) {
      const taken = checked.problems.some((p) => p.code === 'taken');
      return reply.code(taken ? 409 : 400).send(invalid(checked.problems));
    }
    const doc = newOrgDoc(checked.org, request.user!.id, now());
    try {
      await ctx.couch.use<OrgDoc>(ORGS_DB).insert(doc);
    } catch (err) {
      if (isStatus(err, 409))
        return reply
          .code(409)
          .send({ error: 'conflict', reason: `the id "${doc._id}" is taken by another organization` });
      throw err;
    }
    await changed();
    await ctx.record(request, { action: 'org.create', target: `org:${doc._id}`, after: orgView(doc) });
    return reply.code(201).send({ org: orgView(doc) });
  });

  app.put('/api/admin/orgs/:id', { schema: editSchema }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const before = await getOrgDoc(ctx.couch, id);
    if (!before) return reply.code(404).send({ error: 'not_found', reason: `there is no organization "${id}"` });
    const checked = validateOrgInput({ ...(request.body as Record<string, unknown>), id });
    if ('problems' in checked) return reply.code(400).send(invalid(checked.problems));
    const { id: _id, ...fields } = checked.org;
    void _id;
    const at = now();
    const after: OrgDoc = { ...before, ...fields, updatedBy: request.user!.id, updatedAt: at };
    // Documents the server received before a change of the finance flags keep the flags they had.
    const financeHistory = financeHistoryAfter(before, after, at);
    if (financeHistory) after.financeHistory = financeHistory;
    if (!checked.org.founder) delete after.founder;
    if (!checked.org.address) delete after.address;
    try {
      await ctx.couch.use<OrgDoc>(ORGS_DB).insert(after);
    } catch (err) {
      if (isStatus(err, 409))
        return reply.code(409).send({
          error: 'conflict',
          reason: 'someone else changed this organization meanwhile; reload and try again'
        });
      throw err;
    }
    await changed();
    await ctx.record(request, {
      action: 'org.edit',
      target: `org:${id}`,
      before: orgView(before),
      after: orgView(after)
    });
    return { org: orgView(after) };
  });

  for (const [action, closing] of [
    ['close', true],
    ['reopen', false]
  ] as const) {
    app.post(`/api/admin/orgs/:id/${action}`, { schema: idParams }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const before = await getOrgDoc(ctx.couch, id);
      if (!before) return reply.code(404).send({ error: 'not_found', reason: `there is no organization "${id}"` });
      if (!!before.closedAt === closing) return { org: orgView(before) };
      const at = now();
      const after: OrgDoc = { ...before, updatedBy: request.user!.id, updatedAt: at };
      if (closing) after.closedAt = at;
      else delete after.closedAt;
      await ctx.couch.use<OrgDoc>(ORGS_DB).insert(after);
      await changed();
      await ctx.record(request, {
        action: `org.${action}`,
        target: `org:${id}`,
        before: orgView(before),
        after: orgView(after)
      });
      return { org: orgView(after) };
    });
  }

  /** CSV import: `?dryRun=1` previews; otherwise every row is created, or none when any row is wrong. */
  app.post(
    '/api/admin/orgs/import',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { dryRun: { type: 'string', enum: ['0', '1'] } }
        }
      }
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        return reply.code(415).send({ error: 'unsupported_media_type', reason: 'send the CSV file as text/csv' });
      const existing = new Set((await listOrgDocs(ctx.couch)).map((d) => d._id));
      const result = readOrgCsv(new Uint8Array(request.body), (id) => existing.has(id));
      if ('problem' in result) return reply.code(400).send({ error: 'bad_csv', reason: result.problem });
      const failed = result.rows.filter((r) => r.problems.length > 0);
      const dryRun = (request.query as { dryRun?: string }).dryRun === '1';
      const summary = {
        encoding: result.encoding,
        rows: result.rows,
        valid: result.rows.length - failed.length,
        invalid: failed.length
      };
      if (dryRun) return { dryRun: true, ...summary };
      if (failed.length > 0)
        return reply.code(422).send({
          error: 'invalid',
          reason: `${failed.length} of ${result.rows.length} rows have errors; nothing was imported`,
          ...summary
        });
      const at = now();
      const docs = result.rows.map((r) => newOrgDoc(r.org!, request.user!.id, at));
      const res = await ctx.couch.use<OrgDoc>(ORGS_DB).bulk({ docs });
      const refused = res.filter((r) => r.error);
      await changed();
      const written = docs.filter((d) => !refused.some((r) => r.id === d._id));
      await ctx.record(request, {
        action: 'org.import',
        target: 'orgs',
        detail: `${written.length} organizations imported${refused.length ? `, ${refused.length} refused meanwhile: ${refused.map((r) => r.id).join(', ')}` : ''}`,
        after: written.map((d) => d._id)
      });
      if (refused.length > 0)
        return reply.code(409).send({
          error: 'conflict',
          reason: `created meanwhile by someone else, not imported: ${refused.map((r) => r.id).join(', ')}`,
          imported: written.length
        });
      return { imported: written.length, ...summary };
    }
  );
}
