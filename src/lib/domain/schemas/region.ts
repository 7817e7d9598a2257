import { idField, isoTime, orgRef, text, userRef, type CollectionSchema } from './common';

export const DISTRICTS = ['PM', 'PS', 'PJ', 'KT', 'DO', 'TC', 'RO'] as const;
export type District = (typeof DISTRICTS)[number];
const district = { type: 'string', enum: [...DISTRICTS], maxLength: 2 };
const createdFields = {
  createdBy: userRef,
  createdAt: isoTime,
  updatedBy: userRef,
  updatedAt: isoTime,
  receivedAt: isoTime
};
const CREATED = ['createdBy', 'createdAt', 'updatedBy', 'updatedAt'];

export const orgSchema = {
  title: 'org',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: orgRef,
    ...createdFields,
    name: text(200, 2),
    shortName: text(60, 1),
    kind: { type: 'string', enum: ['office', 'school', 'roads', 'health', 'social', 'culture', 'purchasing', 'other'] },
    district,
    founder: { type: 'string', maxLength: 60 },
    address: text(300),
    lat: { type: 'number' },
    lon: { type: 'number' },
    /** Whether správce rozpočtu and hlavní účetní may be one person in an approval. */
    allowBudgetAccountantSamePerson: { type: 'boolean' },
    /** Whether invoices also need the správce rozpočtu's step (act 320/2001 lets an organization ask for it). */
    invoicesNeedBudget: { type: 'boolean' },
    /**
     * The two flags above by the moment they took effect (`portal/rule-sets.ts` `flagsOn`): a
     * document is judged by those in force when the server received it. Written by the server
     * from the first change on.
     */
    financeHistory: {
      type: 'array',
      maxItems: 400,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'allowBudgetAccountantSamePerson', 'invoicesNeedBudget'],
        properties: {
          from: { type: 'string', maxLength: 30 },
          allowBudgetAccountantSamePerson: { type: 'boolean' },
          invoicesNeedBudget: { type: 'boolean' }
        }
      }
    },
    /** IČO, eight digits with a valid check digit. */
    ico: { type: 'string', pattern: '^[0-9]{8}$', maxLength: 8 },
    /** Sites of the organization (buildings, workplaces) for the asset register and stocktake. */
    sites: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name'],
        properties: {
          id: { type: 'string', maxLength: 40, pattern: '^[a-z0-9-]{1,40}$' },
          name: text(200, 1),
          address: text(300)
        }
      }
    },
    /** Set when the organization was closed: its data stays, nobody writes to it. */
    closedAt: isoTime
  },
  required: ['id', ...CREATED, 'name', 'shortName', 'kind', 'district']
} satisfies CollectionSchema;

export const personSchema = {
  title: 'person',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: userRef,
    ...createdFields,
    name: text(200, 1),
    orgId: orgRef,
    email: text(200),
    phone: text(40),
    title: text(200),
    /** On the helpdesk (an agent's membership not ended): the people tickets are assigned to by name. */
    desk: { type: 'boolean' }
  },
  required: ['id', ...CREATED, 'name']
} satisfies CollectionSchema;

/** winter-plan: the operating plan of winter maintenance, a new record for every change. */
const winterPlanFields = {
  validFrom: isoTime,
  orders: {
    type: 'array',
    maxItems: 3,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['order', 'deadlineMinutes'],
      properties: {
        order: { type: 'string', enum: ['I', 'II', 'III'] },
        /** Treatment deadline, counted from when the vehicles are sent out. */
        deadlineMinutes: { type: 'integer', minimum: 1, maximum: 10080 },
        /** Hours of service, local time `HH:MM`; absent means round the clock. */
        serviceFrom: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
        serviceTo: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }
      }
    }
  },
  /** A section is "due soon" this many minutes before its deadline. */
  dueSoonMinutes: { type: 'integer', minimum: 0, maximum: 1440 },
  /** A hand-off to IZS unconfirmed for this long is highlighted. */
  handoffAckMinutes: { type: 'integer', minimum: 1, maximum: 1440 }
} as const;

const stepEnum = { type: 'string', enum: ['prikazce', 'spravce', 'ucetni'] };
const approvalRulesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['act', 'steps', 'stepRoles'],
  properties: {
    act: text(100, 1),
    steps: {
      type: 'object',
      additionalProperties: false,
      required: ['order', 'invoice', 'prislib'],
      properties: Object.fromEntries(
        ['order', 'invoice', 'prislib'].map((k) => [k, { type: 'array', minItems: 1, maxItems: 3, items: stepEnum }])
      )
    },
    /** Inserted before the last invoice step when the organization asks for it. */
    invoiceBudgetStep: stepEnum,
    stepRoles: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(['prikazce', 'spravce', 'ucetni'].map((k) => [k, text(20, 1)]))
    },
    /** Pairs of steps one person may take in one document, where the organization allows it. */
    combinable: { type: 'array', maxItems: 3, items: { type: 'array', minItems: 2, maxItems: 2, items: stepEnum } }
  }
};

/** Catalog entries: ticket categories, SLA policies, contractor district rules, price list. */
export const catalogSchema = {
  title: 'catalog',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...createdFields,
    kind: {
      type: 'string',
      enum: ['category', 'sla', 'contractor', 'calendar', 'winter-plan', 'approval-rules', 'price']
    },
    name: text(200, 1),
    nameEn: text(200),
    /** category: price per resolved task (CZK) paid to contractors. */
    price: { type: 'number', minimum: 0 },
    /** category: work done on site, so a ticket goes to the district's contractor (else central IT). */
    onSite: { type: 'boolean' },
    /** sla: the priority it applies to and targets in minutes of its calendar. */
    priority: { type: 'string', enum: ['P1', 'P2', 'P3', 'P4'] },
    responseMinutes: { type: 'integer', minimum: 1 },
    resolutionMinutes: { type: 'integer', minimum: 1 },
    calendar: { type: 'string', enum: ['business', '24x7'] },
    /** calendar (`calendar: 'business'`): working days (ISO, 1 = Monday) and hours in minutes after Prague midnight. */
    weekdays: { type: 'array', minItems: 1, maxItems: 7, items: { type: 'integer', minimum: 1, maximum: 7 } },
    opens: { type: 'integer', minimum: 0, maximum: 1440 },
    closes: { type: 'integer', minimum: 0, maximum: 1440 },
    /** calendar: days off besides the Czech public holidays (YYYY-MM-DD), e.g. the region's closure days. */
    closedDays: {
      type: 'array',
      maxItems: 366,
      items: { type: 'string', maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' }
    },
    /** sla: penalty per breach (CZK). */
    penalty: { type: 'number', minimum: 0 },
    /** contractor: the contractor user and the districts it serves. */
    userId: userRef,
    districts: { type: 'array', items: district, maxItems: 7 },
    /** winter-plan, sla, price: `validFrom` (in winterPlanFields), the instant the entry applies from; a change of a rule is a new entry. */
    ...winterPlanFields,
    /** approval-rules: the first day the rule set judges documents registered on it or later. */
    effectiveFrom: { type: 'string', maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    /** approval-rules: steps per document type, the role of each step, combinable pairs (see portal/rule-sets.ts). */
    approvalRules: approvalRulesSchema,
    /** price: the category it prices. */
    categoryId: idField
  },
  required: ['id', ...CREATED, 'kind', 'name']
} satisfies CollectionSchema;

export const sectionSchema = {
  title: 'section',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...createdFields,
    name: text(200, 1),
    road: text(20, 1),
    district,
    /** Pořadí důležitosti: I treated first, III last. */
    order: { type: 'string', enum: ['I', 'II', 'III'] },
    lengthKm: { type: 'number', minimum: 0 },
    /** Neudržovaný úsek: not maintained in winter (set by the region's decree). */
    unmaintained: { type: 'boolean' },
    path: {
      type: 'array',
      maxItems: 500,
      items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } }
    },
    lastTreatedAt: isoTime,
    /** The instant the section is in force from (drawn by the administrator); absent: always. */
    validFrom: isoTime
  },
  required: ['id', ...CREATED, 'name', 'road', 'district', 'order', 'path']
} satisfies CollectionSchema;

export const alertSchema = {
  title: 'alert',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...createdFields,
    district,
    title: text(120, 1),
    text: text(2000),
    severity: { type: 'integer', minimum: 1, maximum: 3 },
    expiresAt: isoTime
  },
  required: ['id', ...CREATED, 'district', 'title', 'severity']
} satisfies CollectionSchema;

/** Information handed to the integrated rescue system, and their receipts. */
export const izsSchema = {
  title: 'izs',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...createdFields,
    entry: { type: 'string', enum: ['handoff', 'receipt'] },
    handoffId: idField,
    district,
    /** handoff: the deník entry (report, closure) it passes on. */
    refId: idField,
    units: { type: 'array', maxItems: 3, items: { type: 'string', enum: ['fire', 'police', 'ambulance'] } },
    title: text(200),
    text: text(5000),
    lat: { type: 'number' },
    lon: { type: 'number' }
  },
  required: ['id', ...CREATED, 'entry']
} satisfies CollectionSchema;
