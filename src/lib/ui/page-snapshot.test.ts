// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheMe, forgetMe, normalizeMe } from '$lib/api';
import {
  SNAPSHOT_MAX_CHARS,
  forgetPageSnapshots,
  readPageSnapshot,
  snapshotFragment,
  snapshotOf,
  writePageSnapshot
} from './page-snapshot';

const fragment = (html: string) => {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host.firstElementChild!;
};

const signedIn = (id: string) => cacheMe(normalizeMe({ user: { id, name: id, memberships: [] }, databases: [] }));
beforeEach(() => signedIn('u1'));
afterEach(() => localStorage.clear());

describe('snapshotOf', () => {
  it('keeps what the page shows and drops scripts, frames, handlers, ids and test ids', () => {
    const page = fragment(
      `<div class="page svelte-x1" id="p"><h1 id="t" tabindex="-1">Fronta</h1>` +
        `<script>alert(1)</script><iframe src="/x"></iframe>` +
        `<table data-testid="queue-table"><tr data-testid="queue-row" data-ticket="t1">` +
        `<td><a href="/tickets/t1" onclick="steal()" onfocus="x()">Tiskárna &lt;b&gt;</a></td>` +
        `<td><a href="javascript:alert(2)">x</a></td></tr></table></div>`
    );
    const html = snapshotOf(page)!;
    expect(html).toContain('class="page svelte-x1"');
    expect(html).toContain('href="/tickets/t1"');
    // The row's text stays escaped: markup typed into a title never becomes markup.
    expect(html).toContain('Tiskárna &lt;b&gt;');
    expect(html).toContain('data-ticket="t1"');
    for (const gone of ['<script', '<iframe', 'onclick', 'onfocus', 'id="p"', 'id="t"', 'data-testid', 'javascript:'])
      expect(html).not.toContain(gone);
    // The page itself is untouched.
    expect(page.querySelector('script')).not.toBeNull();
    expect(page.getAttribute('id')).toBe('p');
  });

  it('keeps no page larger than the limit', () => {
    const page = fragment(`<div>${'x'.repeat(SNAPSHOT_MAX_CHARS)}</div>`);
    expect(snapshotOf(page)).toBeNull();
  });
});

describe('snapshotFragment', () => {
  it('cleans stored markup again as it is read (the storage belongs to the device)', () => {
    const frag = snapshotFragment(
      document,
      '<div onmouseover="x()" id="a"><img src="/i.png" onerror="x()"><script>x()</script><p>Řádek</p></div>'
    );
    const host = document.createElement('div');
    host.append(frag);
    expect(host.innerHTML).toBe('<div><img src="/i.png"><p>Řádek</p></div>');
  });
});

describe('stored snapshots', () => {
  it('are kept per page and person, and only that person gets them back', () => {
    writePageSnapshot('u1', '/queue', '<p>fronta u1</p>');
    writePageSnapshot('u1', '/tickets', '<p>seznam u1</p>');
    expect(readPageSnapshot('u1', '/queue')).toBe('<p>fronta u1</p>');
    expect(readPageSnapshot('u1', '/tickets')).toBe('<p>seznam u1</p>');
    expect(readPageSnapshot('u2', '/queue')).toBeNull();
    expect(readPageSnapshot('u1', '/tasks')).toBeNull();
  });

  it('all go at sign-out, and nothing else stored on the device does', () => {
    const me = localStorage.getItem('ict.me');
    writePageSnapshot('u1', '/queue', '<p>a</p>');
    writePageSnapshot('u1', '/dispatch', '<p>b</p>');
    forgetPageSnapshots();
    expect(readPageSnapshot('u1', '/queue')).toBeNull();
    expect(readPageSnapshot('u1', '/dispatch')).toBeNull();
    expect(localStorage.getItem('ict.me')).toBe(me);
  });

  it('are not kept once the session is gone from the device (a sign-out in another window)', () => {
    forgetMe();
    writePageSnapshot('u1', '/tickets', '<p>seznam u1</p>');
    expect(localStorage.getItem('ict.page:/tickets')).toBeNull();
    signedIn('u2');
    writePageSnapshot('u1', '/tickets', '<p>seznam u1</p>');
    expect(localStorage.getItem('ict.page:/tickets')).toBeNull();
  });

  it('reads a damaged entry as none', () => {
    localStorage.setItem('ict.page:/queue', '{not json');
    expect(readPageSnapshot('u1', '/queue')).toBeNull();
  });
});
