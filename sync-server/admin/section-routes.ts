/**
 * `/api/admin/sections`: the road sections of the winter dispatch, kept by the administrator.
 * A new section is drawn on the map (or typed as coordinates), checked by the shared rules
 * (`src/lib/domain/admin/section-input.ts`: class, number, order, at least two points inside
 * the region and its district) and by the collection schema, stored in `region_sections` with
 * the instant it applies from (`validFrom`) and an audit entry. The gateway's section list is
 * reloaded before the answer, so a crew may report on the new section with the next request;
 * devices get it through the region replication like any section. An existing section's route
 * may be redrawn through its edit (`PUT`), checked by the same path rules and audited as
 * `section.edit` with the route before and after.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redrawnRoute, sectionFields, validateSectionInput } from '../../src/lib/domain/admin/section-input';
import { parseDbName, regionDb } from '../../src/lib/domain/databases';
import { checkSchema } from '../gateway/schema-validators';
import type { AdminContext } from './context';
import { isStatus } from '../couch-status';

const SECTIONS_DB = regionDb('sections');
type Doc = Record<string, unknown> & { _id: string; _rev?: string };

const name = { type: 'string', minLength: 1, maxLength: 200 };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } };
const obj = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties
});
// Shapes only; what the values mean is judged by `validateSectionInput`, whose reasons are readable.
const pathShape = { type: 'array', maxItems: 2000, items: { type: 'array', maxItems: 3, items: { type: 'number' } } };
const newSectionBody = obj(['id', 'name', 'roadClass', 'roadNumber', 'district', 'order', 'path'], {
  id: { type: 'string', maxLength: 100 },
  name: { type: 'string', maxLength: 300 },
  roadClass: { type: 'string', maxLength: 5 },
  roadNumber: { type: 'string', maxLength: 10 },
  district: { type: 'string', maxLength: 5 },
  order: { type: 'string', maxLength: 5 },
  unmaintained: { type: 'boolean' },
  path: pathShape
});

const plain = ({ _id, _rev, ...rest }: Doc) => (void _rev, { id: _id, ...rest });

export function sectionRoutes(app: FastifyInstance, ctx: AdminContext) {
  const store = () => ctx.couch.use<Doc>(SECTIONS_DB);
  const get = async (id: string): Promise<Doc | null> => {
    try {
      return await store().get(id);
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw err;
    }
  };

  /** Validates with the collection schema, writes, puts it in force, records. */
  async function write(request: FastifyRequest, reply: FastifyReply, doc: Doc, before: Doc | null, action: string) {
    const problem = checkSchema(parseDbName(SECTIONS_DB)!, plain(doc));
    if (problem) return reply.code(400).send({ error: 'invalid', reason: problem });
    try {
      await store().insert(doc);
    } catch (err) {
      if (isStatus(err, 409))
        return reply.code(409).send({
          error: 'conflict',
          reason: before
            ? 'someone else changed this section meanwhile; reload and try again'
            : `the id "${doc._id}" is taken by another road section`
        });
      throw err;
    }
    // In force for the gateway's checks of new deník entries before the answer, not at the
    // change notifier's next batch.
    await app.winterSections.reload();
    ctx.notify(SECTIONS_DB);
    await ctx.record(request, {
      action,
      target: `section:${doc._id}`,
      ...(before ? { before: plain(before) } : {}),
      after: plain(doc)
    });
    return reply.code(before ? 200 : 201).send({ entry: plain(doc) });
  }

  app.get('/api/admin/sections', async () => ({
    sections: (await store().list({ include_docs: true })).rows.flatMap((r) =>
      r.doc && !r.id.startsWith('_design/') ? [plain(r.doc)] : []
    )
  }));

  app.post('/api/admin/sections', { schema: { body: newSectionBody } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const id = typeof body.id === 'string' ? body.id.trim().toLowerCase() : '';
    const existing = id ? await get(id) : null;
    const checked = validateSectionInput(body, () => existing !== null);
    if ('problems' in checked) {
      const taken = checked.problems.some((p) => p.code === 'taken');
      return reply.code(taken ? 409 : 400).send({
        error: taken ? 'conflict' : 'invalid',
        reason: checked.problems.map((p) => p.reason).join('; '),
        problems: checked.problems
      });
    }
    const at = new Date().toISOString();
    const by = request.user!.id;
    const doc: Doc = {
      _id: checked.section.id,
      ...sectionFields(checked.section),
      // A new section is new work's from now on; nothing before it was judged against it.
      validFrom: at,
      createdBy: by,
      createdAt: at,
      updatedBy: by,
      updatedAt: at,
      receivedAt: at
    };
    return write(request, reply, doc, null, 'section.create');
  });

  app.put(
    '/api/admin/sections/:id',
    {
      schema: {
        params: idParams,
        body: obj(['name', 'road', 'district', 'order'], {
          name,
          road: { type: 'string', minLength: 1, maxLength: 20 },
          district: { type: 'string', maxLength: 2 },
          order: { type: 'string', enum: ['I', 'II', 'III'] },
          lengthKm: { type: 'number', minimum: 0, maximum: 1000 },
          // A redrawn route: judged as a new section's, its length measured again along it.
          path: pathShape
        })
      }
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const before = await get(id);
      if (!before) return reply.code(404).send({ error: 'not_found', reason: `there is no road section "${id}"` });
      const body = request.body as Record<string, unknown>;
      let route = {};
      if (body.path !== undefined) {
        const checked = redrawnRoute(body.path, String(body.district));
        if ('problems' in checked)
          return reply.code(400).send({
            error: 'invalid',
            reason: checked.problems.map((p) => p.reason).join('; '),
            problems: checked.problems
          });
        route = checked;
      }
      const at = new Date().toISOString();
      const doc: Doc = {
        ...before,
        ...body,
        ...route,
        updatedBy: request.user!.id,
        updatedAt: at
      };
      return write(request, reply, doc, before, 'section.edit');
    }
  );
}
