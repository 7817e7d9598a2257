import { describe, expect, it } from 'vitest';
import { notificationFor } from './push-notification';

describe('push notifications shown by the service worker', () => {
  it('a reminder opens its item, one on the screen per item', () => {
    expect(
      notificationFor({
        kind: 'reminder',
        title: 'Úkol: Inventura',
        body: 'Po termínu',
        url: '/tasks/t-1',
        tag: 'remind-tasks|t-1'
      })
    ).toEqual({
      title: 'Úkol: Inventura',
      body: 'Po termínu',
      tag: 'remind-tasks|t-1',
      url: '/tasks/t-1',
      requireInteraction: false
    });
  });

  it('a winter alert keeps its district tag; a severe one stays until touched', () => {
    expect(
      notificationFor({ title: 'Náledí', district: 'KT', severity: 3, url: '/dispatch/alerts?id=a' })
    ).toMatchObject({
      tag: 'winter-KT',
      url: '/dispatch/alerts?id=a',
      requireInteraction: true
    });
  });

  it('never leaves the app: another origin falls back to the inbox or the alerts', () => {
    for (const url of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)'])
      expect(notificationFor({ kind: 'reminder', url }).url).toBe('/inbox');
    expect(notificationFor({ url: '//evil.example' }).url).toBe('/dispatch/alerts');
  });
});
