import { describe, expect, it } from 'vitest';
import { buildsOnRefused, carriesRefusedChange } from './refusal';

const base = { id: 't', _deleted: false, title: 'A', status: 'new', events: [{ id: 'e1' }], updatedAt: '1' };

describe('a refused change counts as resolved only when it reached the server', () => {
  const refused = { ...base, status: 'waiting', events: [{ id: 'e1' }, { id: 'e2' }], updatedAt: '2' };

  it.each([
    ['the refused version itself', refused, true],
    ['a later edit on top of it', { ...refused, title: 'B', updatedAt: '3' }, true],
    ['a merge with more history', { ...refused, events: [{ id: 'e1' }, { id: 'e0' }, { id: 'e2' }] }, true],
    ['the server version pulled over it, edited', { ...base, title: 'B', updatedAt: '3' }, false],
    ['a version with the field but without the new entry', { ...refused, events: [{ id: 'e1' }] }, false],
    ['a deletion', { ...refused, _deleted: true }, false]
  ])('%s: %s', (_label, written, expected) => {
    expect(carriesRefusedChange(base, refused, written, ['events'])).toBe(expected);
  });

  it('a refused deletion is carried only by a deletion; an unknown refusal does not block', () => {
    expect(carriesRefusedChange(base, { ...base, _deleted: true }, { ...base, _deleted: true })).toBe(true);
    expect(carriesRefusedChange(base, { ...base, _deleted: true }, base)).toBe(false);
    expect(carriesRefusedChange(base, undefined, base)).toBe(true);
  });

  it('a refused new document (no server version) is carried when its fields are', () => {
    expect(carriesRefusedChange(null, refused, refused)).toBe(true);
    expect(carriesRefusedChange(null, refused, { ...refused, status: 'new' })).toBe(false);
  });
});

describe('a version made on top of the refused one', () => {
  const refused = { ...base, status: 'waiting', updatedAt: '2' };
  const entry = { serverDoc: base, doc: refused };
  it('is one where the person undid the refused field, not one pulled from the server', () => {
    const undone = { ...base, title: 'B', updatedAt: '3' };
    expect(buildsOnRefused(entry, undone, refused)).toBe(true);
    const pulledOver = { ...base, title: 'C', updatedAt: '4' };
    expect(buildsOnRefused(entry, { ...pulledOver, description: 'x' }, pulledOver)).toBe(false);
    expect(buildsOnRefused(undefined, undone, refused)).toBe(false);
  });
});
