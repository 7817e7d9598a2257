import { describe, expect, it } from 'vitest';
import { listsToPreload, PRELOADED_LISTS } from './preload-lists';

describe('listsToPreload', () => {
  it("takes the busy lists of the person's navigation, in the table's order", () => {
    const director = ['/inbox', '/tickets', '/approvals', '/tasks', '/reports', '/account'];
    expect(listsToPreload(director, '/account')).toEqual(['/tickets', '/inbox', '/approvals', '/tasks']);
  });

  it('leaves out the page the person is on, whose code is loaded', () => {
    expect(listsToPreload(['/inbox', '/tickets', '/queue'], '/inbox')).toEqual(['/tickets', '/queue']);
  });

  it('preloads nothing for a navigation without lists (the winter dispatcher)', () => {
    expect(listsToPreload(['/dispatch', '/dispatch/map', '/dispatch/izs'], '/dispatch')).toEqual([]);
  });

  it('matches whole routes: a page under a list is not the list', () => {
    expect(listsToPreload(['/assets/mine', '/tickets/report'], '/')).toEqual([]);
  });

  it('names only routes of the app', () => {
    for (const href of PRELOADED_LISTS) expect(href).toMatch(/^\/[a-z]+$/);
  });
});
