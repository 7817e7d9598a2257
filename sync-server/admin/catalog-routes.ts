/**
 * `/api/admin/catalog`: the reference data the administrator keeps (road sections: `section-routes.ts`).
 * Names, routing and contractor districts are edited in place (they steer new work only);
 * prices, SLA policies and calendars and approval rule sets are never edited once in force: a change is a
 * new entry with the day it applies from (today or later), so reports of past months and
 * documents registered earlier keep the rules they were made under; a rule set whose first
 * day is still ahead may be corrected.
 * Every stored document passes the same schema check as a write through the gateway.
 */
import { TZDate } from '@date-fns/tz';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pragueDate } from '../../src/lib/domain/access';
import { parseDbName, regionDb } from '../../src/lib/domain/databases';
import {
  approvalRulesOf,
  checkRuleSet,
  ruleSetEditable,
  ruleSetProblemText,
  type RuleSetInput
} from '../../src/lib/domain/admin/rule-set-input';
import { checkCalendar, type CalendarInput, type CalendarProblemCode } from '../../src/lib/domain/sla/calendar-entries';
import { checkSchema } from '../gateway/schema-validators';
import type { AdminContext } from './context';
import { isStatus } from '../couch-status';

const CATALOG_DB = regionDb('catalog');
type Doc = Record<string, unknown> & { _id: string; _rev?: string };

const idPattern = '^[a-z0-9][a-z0-9-]{1,60}$';
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const name = { type: 'string', minLength: 1, maxLength: 200 };
const nameEn = { type: 'string', maxLength: 200 };
const districts = { type: 'array', maxItems: 7, items: { type: 'string', maxLength: 2 } };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } };
const obj = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties
});

/** The instant a rule starts: Prague midnight of `day`, or now when that is today. */
function startOf(day: string): string {
  if (day === pragueDate(Date.now())) return new Date().toISOString();
  const [y, m, d] = day.split('-').map(Number);
  return new Date(new TZDate(y, m - 1, d, 'Europe/Prague').getTime()).toISOString();
}

const CALENDAR_REASONS: Record<CalendarProblemCode, string> = {
  'no-weekdays': 'a calendar needs at least one working day',
  'bad-weekday': 'working days are 1 (Monday) to 7 (Sunday), each once',
  'bad-hours': 'opening and closing are minutes after midnight (0–1440), opening before closing',
  'bad-day': 'days off are dates (YYYY-MM-DD)'
};

export function catalogRoutes(app: FastifyInstance, ctx: AdminContext) {
  const store = (db: string) => ctx.couch.use<Doc>(db);
  const get = async (db: string, id: string): Promise<Doc | null> => {
    try {
      return await store(db).get(id);
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw err;
    }
  };
  const list = async (db: string) =>
    (await store(db).list({ include_docs: true })).rows.flatMap((r) =>
      r.doc && !r.id.startsWith('_design/') ? [r.doc] : []
    );
  const plain = ({ _id, _rev, ...rest }: Doc) => (void _rev, { id: _id, ...rest });

  /** Validates with the collection schema, writes, records; answers the stored entry or the refusal. */
  async function write(
    request: FastifyRequest,
    reply: FastifyReply,
    db: string,
    doc: Doc,
    before: Doc | null,
    action: string
  ) {
    const problem = checkSchema(parseDbName(db)!, plain(doc));
    if (problem) return reply.code(400).send({ error: 'invalid', reason: problem });
    try {
      await store(db).insert(doc);
    } catch (err) {
      if (isStatus(err, 409))
        return reply.code(409).send({
          error: 'conflict',
          reason: before
            ? 'someone else changed this entry meanwhile; reload and try again'
            : `the id "${doc._id}" is taken`
        });
      throw err;
    }
    ctx.notify(db);
    await ctx.record(request, {
      action,
      target: `catalog:${doc._id}`,
      ...(before ? { before: plain(before) } : {}),
      after: plain(doc)
    });
    return reply.code(before ? 200 : 201).send({ entry: plain(doc) });
  }
  const stamp = (request: FastifyRequest, before: Doc | null) => {
    const at = new Date().toISOString();
    const by = request.user!.id;
    return before
      ? { updatedBy: by, updatedAt: at }
      : { createdBy: by, createdAt: at, updatedBy: by, updatedAt: at, receivedAt: at };
  };
  const notToday = (day: string) => day < pragueDate(Date.now());
  const pastDay = (reply: FastifyReply) =>
    reply.code(400).send({
      error: 'invalid',
      reason: 'a rule can apply from today or a later day; past days keep the rules they had'
    });
  /** A new id for a dated rule, unique even if two land on one day. */
  const datedId = async (prefix: string, day: string) => {
    const base = `${prefix}-${day.replaceAll('-', '')}`;
    for (let i = 0; ; i++) {
      const id = i === 0 ? base : `${base}-${i + 1}`;
      if (!(await get(CATALOG_DB, id))) return id;
    }
  };

  app.get('/api/admin/catalog', async () => ({ entries: (await list(CATALOG_DB)).map(plain) }));

  app.post(
    '/api/admin/catalog/categories',
    {
      schema: {
        body: obj(['id', 'name', 'price'], {
          id: { type: 'string', pattern: idPattern },
          name,
          nameEn,
          price: { type: 'number', minimum: 0, maximum: 1_000_000 },
          onSite: { type: 'boolean' }
        })
      }
    },
    async (request, reply) => {
      const b = request.body as { id: string; name: string; nameEn?: string; price: number; onSite?: boolean };
      if (await get(CATALOG_DB, b.id))
        return reply.code(409).send({ error: 'conflict', reason: `the id "${b.id}" is taken` });
      const doc: Doc = {
        _id: b.id,
        kind: 'category',
        name: b.name,
        ...(b.nameEn ? { nameEn: b.nameEn } : {}),
        price: b.price,
        onSite: b.onSite === true,
        ...stamp(request, null)
      };
      return write(request, reply, CATALOG_DB, doc, null, 'catalog.category.create');
    }
  );

  app.put(
    '/api/admin/catalog/categories/:id',
    { schema: { params: idParams, body: obj(['name'], { name, nameEn, onSite: { type: 'boolean' } }) } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const before = await get(CATALOG_DB, id);
      if (!before || before.kind !== 'category')
        return reply.code(404).send({ error: 'not_found', reason: `there is no category "${id}"` });
      const b = request.body as { name: string; nameEn?: string; onSite?: boolean };
      const doc: Doc = {
        ...before,
        name: b.name,
        nameEn: b.nameEn ?? '',
        onSite: b.onSite ?? before.onSite,
        ...stamp(request, before)
      };
      return write(request, reply, CATALOG_DB, doc, before, 'catalog.category.edit');
    }
  );

  app.post(
    '/api/admin/catalog/prices',
    {
      schema: {
        body: obj(['categoryId', 'price', 'validFrom'], {
          categoryId: { type: 'string', maxLength: 100 },
          price: { type: 'number', minimum: 0, maximum: 1_000_000 },
          validFrom: date
        })
      }
    },
    async (request, reply) => {
      const b = request.body as { categoryId: string; price: number; validFrom: string };
      const category = await get(CATALOG_DB, b.categoryId);
      if (!category || category.kind !== 'category')
        return reply.code(400).send({ error: 'invalid', reason: `there is no category "${b.categoryId}"` });
      if (notToday(b.validFrom)) return pastDay(reply);
      const doc: Doc = {
        _id: await datedId(`price-${b.categoryId}`, b.validFrom),
        kind: 'price',
        name: String(category.name),
        categoryId: b.categoryId,
        price: b.price,
        validFrom: startOf(b.validFrom),
        ...stamp(request, null)
      };
      return write(request, reply, CATALOG_DB, doc, null, 'catalog.price.create');
    }
  );

  app.post(
    '/api/admin/catalog/sla',
    {
      schema: {
        body: obj(['priority', 'name', 'responseMinutes', 'resolutionMinutes', 'calendar', 'penalty', 'validFrom'], {
          priority: { type: 'string', enum: ['P1', 'P2', 'P3', 'P4'] },
          name,
          nameEn,
          responseMinutes: { type: 'integer', minimum: 1, maximum: 525600 },
          resolutionMinutes: { type: 'integer', minimum: 1, maximum: 525600 },
          calendar: { type: 'string', enum: ['business', '24x7'] },
          penalty: { type: 'number', minimum: 0, maximum: 10_000_000 },
          validFrom: date
        })
      }
    },
    async (request, reply) => {
      const b = request.body as Record<string, unknown> & {
        priority: string;
        validFrom: string;
        responseMinutes: number;
        resolutionMinutes: number;
      };
      if (notToday(b.validFrom)) return pastDay(reply);
      if (b.responseMinutes > b.resolutionMinutes)
        return reply
          .code(400)
          .send({ error: 'invalid', reason: 'the response target cannot be longer than the resolution target' });
      const { validFrom, ...fields } = b;
      const doc: Doc = {
        _id: await datedId(`sla-${b.priority.toLowerCase()}`, validFrom),
        kind: 'sla',
        ...fields,
        validFrom: startOf(validFrom),
        ...stamp(request, null)
      };
      return write(request, reply, CATALOG_DB, doc, null, 'catalog.sla.create');
    }
  );

  app.post(
    '/api/admin/catalog/calendars',
    {
      schema: {
        body: obj(['weekdays', 'opens', 'closes', 'validFrom'], {
          weekdays: { type: 'array', maxItems: 7, items: { type: 'integer' } },
          opens: { type: 'integer' },
          closes: { type: 'integer' },
          closedDays: { type: 'array', maxItems: 366, items: { type: 'string', maxLength: 10 } },
          validFrom: date
        })
      }
    },
    async (request, reply) => {
      const b = request.body as CalendarInput & { validFrom: string };
      const input = { ...b, closedDays: [...new Set(b.closedDays ?? [])].sort() };
      const problems = checkCalendar(input);
      if (problems.length)
        return reply.code(400).send({
          error: 'invalid',
          reason: problems.map((p) => CALENDAR_REASONS[p.code]).join('; '),
          problems
        });
      if (notToday(b.validFrom)) return pastDay(reply);
      const doc: Doc = {
        _id: await datedId('calendar', b.validFrom),
        kind: 'calendar',
        calendar: 'business',
        name: `Pracovní doba od ${b.validFrom}`,
        weekdays: [...input.weekdays].sort(),
        opens: input.opens,
        closes: input.closes,
        closedDays: input.closedDays,
        validFrom: startOf(b.validFrom),
        ...stamp(request, null)
      };
      return write(request, reply, CATALOG_DB, doc, null, 'catalog.calendar.create');
    }
  );

  const step = { type: 'string', maxLength: 20 };
  const stepList = { type: 'array', maxItems: 3, items: step };
  const ruleSetBody = obj(['name', 'act', 'effectiveFrom', 'steps'], {
    name,
    act: { type: 'string', maxLength: 100 },
    effectiveFrom: { type: 'string', maxLength: 10 },
    steps: obj(['order', 'invoice', 'prislib'], { order: stepList, invoice: stepList, prislib: stepList }),
    invoiceBudgetStep: step,
    budgetAccountantCombinable: { type: 'boolean' }
  });
  /** The stored entry for a checked rule set, or the refusal naming every problem. */
  const ruleSetDoc = (reply: FastifyReply, b: RuleSetInput) => {
    const problems = checkRuleSet(b, pragueDate(Date.now()));
    if (problems.length) {
      void reply.code(400).send({ error: 'invalid', reason: problems.map(ruleSetProblemText).join('; '), problems });
      return null;
    }
    return {
      kind: 'approval-rules',
      name: b.name.trim(),
      effectiveFrom: b.effectiveFrom,
      approvalRules: approvalRulesOf(b)
    };
  };
  app.post('/api/admin/catalog/rule-sets', { schema: { body: ruleSetBody } }, async (request, reply) => {
    const b = request.body as RuleSetInput;
    const fields = ruleSetDoc(reply, b);
    if (!fields) return reply;
    const doc: Doc = { _id: await datedId('approval-rules', b.effectiveFrom), ...fields, ...stamp(request, null) };
    return write(request, reply, CATALOG_DB, doc, null, 'catalog.rules.create');
  });
  app.put(
    '/api/admin/catalog/rule-sets/:id',
    { schema: { params: idParams, body: ruleSetBody } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const before = await get(CATALOG_DB, id);
      if (!before || before.kind !== 'approval-rules')
        return reply.code(404).send({ error: 'not_found', reason: `there is no approval rule set "${id}"` });
      if (!ruleSetEditable(String(before.effectiveFrom), pragueDate(Date.now())))
        return reply.code(409).send({
          error: 'conflict',
          reason: `the rule set is in force since ${String(before.effectiveFrom)} and judges documents registered since; a change is a new rule set from today or a later day`
        });
      const fields = ruleSetDoc(reply, request.body as RuleSetInput);
      if (!fields) return reply;
      return write(
        request,
        reply,
        CATALOG_DB,
        { ...before, ...fields, ...stamp(request, before) },
        before,
        'catalog.rules.edit'
      );
    }
  );

  const contractorBody = obj(['name', 'userId', 'districts'], {
    name,
    userId: { type: 'string', maxLength: 60 },
    districts
  });
  const contractorRefusal = async (b: { userId: string; districts: string[] }) => {
    const user = await ctx.couch
      .use<{ memberships?: { role: string }[] }>('auth')
      .get(`user:${b.userId}`)
      .catch(() => null);
    if (!user) return `there is no user "${b.userId}"`;
    if (b.districts.length === 0) return 'a contractor serves at least one district';
    return null;
  };
  app.post(
    '/api/admin/catalog/contractors',
    {
      schema: {
        body: {
          ...contractorBody,
          required: ['id', ...contractorBody.required],
          properties: { ...contractorBody.properties, id: { type: 'string', pattern: idPattern } }
        }
      }
    },
    async (request, reply) => {
      const b = request.body as { id: string; name: string; userId: string; districts: string[] };
      const refusal = await contractorRefusal(b);
      if (refusal) return reply.code(400).send({ error: 'invalid', reason: refusal });
      if (await get(CATALOG_DB, b.id))
        return reply.code(409).send({ error: 'conflict', reason: `the id "${b.id}" is taken` });
      const doc: Doc = {
        _id: b.id,
        kind: 'contractor',
        name: b.name,
        userId: b.userId,
        districts: b.districts,
        ...stamp(request, null)
      };
      return write(request, reply, CATALOG_DB, doc, null, 'catalog.contractor.create');
    }
  );
  app.put(
    '/api/admin/catalog/contractors/:id',
    { schema: { params: idParams, body: contractorBody } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const before = await get(CATALOG_DB, id);
      if (!before || before.kind !== 'contractor')
        return reply.code(404).send({ error: 'not_found', reason: `there is no contractor "${id}"` });
      const b = request.body as { name: string; userId: string; districts: string[] };
      const refusal = await contractorRefusal(b);
      if (refusal) return reply.code(400).send({ error: 'invalid', reason: refusal });
      const doc: Doc = { ...before, name: b.name, userId: b.userId, districts: b.districts, ...stamp(request, before) };
      return write(request, reply, CATALOG_DB, doc, before, 'catalog.contractor.edit');
    }
  );
}
