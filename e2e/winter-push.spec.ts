/**
 * A winter alert pushed to a phone: Chromium receives a push message through the DevTools
 * protocol (`ServiceWorker.deliverPushMessage`, as the push service would deliver it) and the
 * app's service worker shows it as a notification, even with no page of the app looking.
 */
import { expect, test } from './support/region-server';
import { winterSignIn } from './pages/winter-pages';

test('the service worker shows a pushed alert as a notification', async ({ browser, baseURL }) => {
  const s = await winterSignIn(browser, baseURL!, 'silnicar.kt', /\/dispatch\/report$/);
  await s.page.context().grantPermissions(['notifications'], { origin: baseURL! });
  const cdp = await s.page.context().newCDPSession(s.page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const reg = registrations.find((r) => r.scopeURL.startsWith(baseURL!) && !r.isDeleted);
      if (reg) resolve(reg.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const alert = {
    id: 'alert-e2e-1',
    title: 'Mrznoucí déšť od 3:00',
    body: 'Připravte sypače, Klatovsko.',
    district: 'KT',
    severity: 3,
    url: '/dispatch/alerts?id=alert-e2e-1'
  };
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: new URL(baseURL!).origin,
    registrationId: await registrationId,
    data: JSON.stringify(alert)
  });

  const shown = async () =>
    s.page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        url: (n.data as { url?: string }).url
      }));
    });
  await expect
    .poll(shown, { timeout: 15_000 })
    .toEqual([{ title: alert.title, body: alert.body, tag: 'winter-KT', url: alert.url }]);
  await s.close();
});
