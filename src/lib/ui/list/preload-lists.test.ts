import { describe, expect, it } from 'vitest';
import { listsToPreload, PRELOADED_LISTS } from './preload-lists';

describe('listsToPreload', () => {
  it("takes the preloaded lists that are in the person's navigation", () => {
    const director = ['/inbox', '/tickets', '/approvals', '/tasks', '/reports', '/account'];
    expect(listsToPreload(director, '/account')).toEqual(['/tickets']);
  });

  it('leaves out the page the person is on, whose code is loaded', () => {
    expect(listsToPreload(['/inbox', '/tickets', '/queue'], '/tickets')).toEqual([]);
  });

  it('preloads nothing for a navigation without lists (the winter dispatcher)', () => {
    expect(listsToPreload(['/dispatch', '/dispatch/map', '/dispatch/izs'], '/dispatch')).toEqual([]);
  });

  it('matches whole routes: a page under a list is not the list', () => {
    expect(listsToPreload(['/assets/mine', '/tickets/report', '/tickets/new'], '/')).toEqual([]);
  });

  it('names only routes of the app', () => {
    for (const href of PRELOADED_LISTS) expect(href).toMatch(/^\/[a-z]+$/);
  });
});
