import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ticketSchema, toJsonSchema } from '../../../lib/domain/schemas';
import { buildEvent, buildTicket, validateDraft } from './ticket-docs';

const ajv = addFormats(new Ajv({ allErrors: true }));
const valid = ajv.compile(toJsonSchema(ticketSchema));

describe('ticket documents built on the device', () => {
  it('a new ticket passes the schema the server validates with', () => {
    const t = buildTicket(
      {
        orgId: 'gym-kt',
        title: '  Nefunguje tiskárna ',
        description: 'Ve sborovně',
        category: 'hw',
        priority: 'P3',
        site: ' '
      },
      'ucitel.gymkt'
    );
    expect(valid(t), JSON.stringify(valid.errors)).toBe(true);
    expect(t.title).toBe('Nefunguje tiskárna');
    expect(t.site).toBeUndefined();
    expect(t.id).toMatch(/^t-[a-z0-9]+-[a-z0-9]+$/);
  });

  it('a comment event passes the schema inside the ticket', () => {
    const t = buildTicket(
      { orgId: 'gym-kt', title: 'Projektor', description: '', category: 'hw', priority: 'P2' },
      'ucitel.gymkt'
    );
    t.events.push(buildEvent({ kind: 'comment', text: 'Už to svítí' }, 'ucitel.gymkt'));
    expect(valid(t), JSON.stringify(valid.errors)).toBe(true);
  });

  it.each([
    [{ title: 'ab', category: 'hw', orgId: 'x1' }, { title: 'title_short' }],
    [{ title: 'abc', category: '', orgId: 'x1' }, { category: 'category_missing' }],
    [{ title: 'abc', category: 'hw', orgId: '' }, { orgId: 'org_missing' }],
    [{ title: 'abc', category: 'hw', orgId: 'x1' }, {}]
  ])('validateDraft(%j) → %j', (draft, problems) => {
    expect(validateDraft(draft)).toEqual(problems);
  });
});
