/**
 * The inbox's reminders as Web Push, end to end: a local push service stands in for the
 * browser's, and every pushed body is decrypted with http_ece back to the reminder. A task
 * nearing its deadline and an overdue one reach their worker, a document reaching a step
 * reaches the people who hold it, a contract's deadlines reach its responsible person; each
 * once per device, across a second instance and a restart, and the scheduler finds what only
 * the clock changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, uniqueId, type Client } from '../gateway/test-support';
import { startLocalPushService, receiver, type LocalPushService, type Receiver } from '../push/local-push-service';
import { PushStore, subscriptionId } from '../push/store';
import { loadVapidKeys } from '../push/vapid';
import { countingCouch } from '../testing/counting-couch';
import { login, startTestServer, type TestServer } from '../testing/server';
import { reminderDeliveryId, ReminderPusher } from './reminder-pusher';

let s: TestServer;
let ps: LocalPushService;
const c: Record<string, Client> = {};
const devices: Record<string, Receiver> = {};

const DAY = 864e5;
const now = () => new Date().toISOString();
const audit = (org: string, by: string) => ({
  orgId: org,
  createdBy: by,
  createdAt: now(),
  updatedBy: by,
  updatedAt: now()
});
const post = (u: string, body: unknown) => c[u].send('POST', '/api/push/subscriptions', body, { origin: s.url });

async function waitFor<T>(fn: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the device of `user` received, decrypted. */
const pushesTo = (user: string) =>
  ps.received.filter((r) => r.path === `/${user}`).map((r) => devices[user].decrypt(r));
const pushFor = (user: string, url: string, stage?: string) =>
  waitFor(() => pushesTo(user).find((p) => p.url === url && (!stage || p.stage === stage)));

/** A task issued by the education department to gym-kt and passed down to the teacher. */
async function taskForTeacher(dueInDays: number, title: string) {
  const t = {
    _id: uniqueId('task-gym-kt'),
    ...audit('gym-kt', 'odbor.skolstvi'),
    type: 'task',
    title,
    issueId: uniqueId('issue'),
    issuedBy: 'skolstvi',
    targets: ['gym-kt'],
    dueAt: new Date(Date.now() + dueInDays * DAY).toISOString()
  };
  const step = (action: string, extra: Record<string, unknown> = {}) => ({
    _id: `${t._id}:step:${uniqueId(action)}`,
    ...audit('gym-kt', 'reditel.gymkt'),
    type: 'task-step',
    parentId: t._id,
    action,
    at: now(),
    ...extra
  });
  expect((await c['odbor.skolstvi'].bulkDocs('org_gym-kt_tasks', [t])).body[0]).toMatchObject({ ok: true });
  for (const st of [step('accept'), step('assign', { assignee: 'ucitel.gymkt' })])
    expect((await c['reditel.gymkt'].bulkDocs('org_gym-kt_tasks', [st])).body[0]).toMatchObject({ ok: true });
  return t;
}

beforeAll(async () => {
  ps = await startLocalPushService();
  // No schedule in the app under test: writes wake it; the scheduler is tried on its own below.
  s = await startTestServer({ pushAllowedOrigins: [ps.origin], reminderIntervalMs: 0 });
  for (const u of ['odbor.skolstvi', 'reditel.gymkt', 'ucitel.gymkt', 'referent.gymkt', 'helpdesk', 'silnicar.kt'])
    c[u] = client(s.url, await login(s.url, u));
}, 120_000);
afterAll(async () => {
  await s?.close();
  ps?.close();
});

describe('subscribing to reminders', () => {
  it('any role subscribes with reminders and no districts; neither is refused with a reason', async () => {
    for (const u of ['ucitel.gymkt', 'reditel.gymkt', 'helpdesk']) {
      devices[u] = receiver(ps.origin, `/${u}`);
      const res = await post(u, { subscription: devices[u].subscription, reminders: true, locale: 'cs' });
      expect(res.status).toBe(201);
    }
    const got = await c['ucitel.gymkt'].get(
      `/api/push/subscriptions?endpoint=${encodeURIComponent(devices['ucitel.gymkt'].subscription.endpoint)}`
    );
    expect(await got.json()).toEqual({ districts: [], reminders: true, locale: 'cs' });

    const none = await post('referent.gymkt', { subscription: receiver(ps.origin, '/x').subscription });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { reason: string }).reason).toMatch(/districts .* or reminders/);
    const badFlag = await post('referent.gymkt', {
      subscription: receiver(ps.origin, '/x').subscription,
      reminders: 'yes'
    });
    expect(((await badFlag.json()) as { reason: string }).reason).toMatch(/reminders must be true or false/);
  });

  it('turning reminders on keeps the winter districts chosen on the alerts screen', async () => {
    const phone = receiver(ps.origin, '/crew-phone');
    expect((await post('silnicar.kt', { subscription: phone.subscription, districts: ['KT'] })).status).toBe(201);
    const res = await post('silnicar.kt', { subscription: phone.subscription, reminders: true });
    expect(await res.json()).toMatchObject({ districts: ['KT'], reminders: true });
  });
});

describe('reminders reach the push service', () => {
  it('a task nearing its deadline reaches its worker: signed, encrypted, opening the task', async () => {
    const t = await taskForTeacher(3, 'Inventura ICT do pátku');
    const p = await pushFor('ucitel.gymkt', `/tasks/${encodeURIComponent(t._id)}`);
    expect(p).toMatchObject({ kind: 'reminder', stage: 'lead-7', title: 'Úkol: Inventura ICT do pátku' });
    expect(p.body).toMatch(/^Termín za 3 dny/);
    const raw = ps.received.find((r) => r.path === '/ucitel.gymkt')!;
    expect(raw.headers['content-encoding']).toBe('aes128gcm');
    expect(String(raw.headers.authorization)).toMatch(/^vapid t=.+, k=/);
    expect(Number(raw.headers.ttl)).toBe(24 * 3600);
  });

  it('an overdue task is pushed as overdue', async () => {
    const t = await taskForTeacher(-2, 'Hlášení o sítích');
    const p = await pushFor('ucitel.gymkt', `/tasks/${encodeURIComponent(t._id)}`);
    expect(p).toMatchObject({ stage: 'overdue', body: expect.stringMatching(/^Po termínu/) });
  });

  it('an invoice registered by the clerk reaches the director at the first step, at once', async () => {
    const inv = {
      _id: uniqueId('apv-push'),
      ...audit('gym-kt', 'referent.gymkt'),
      type: 'invoice',
      number: 'FV-PUSH-1',
      supplier: 'Alza.cz a.s.',
      supplierIco: '27082440',
      amount: 1200,
      currency: 'CZK',
      registeredOn: now().slice(0, 10),
      registrar: 'referent.gymkt',
      round: 1
    };
    expect((await c['referent.gymkt'].bulkDocs('org_gym-kt_approvals', [inv])).body[0]).toMatchObject({ ok: true });
    const p = await pushFor('reditel.gymkt', `/approvals/${encodeURIComponent(inv._id)}`);
    expect(p).toMatchObject({
      stage: 'r1-approval-prikazce',
      title: 'Ke schválení: FV-PUSH-1 Alza.cz a.s.',
      body: 'Čeká na vaše schválení (příkazce operace)'
    });
    // The teacher holds no step of it.
    expect(pushesTo('ucitel.gymkt').some((x) => x.url === p.url)).toBe(false);
  });

  it("a contract's notice deadline and expiry reach its responsible person, and only them", async () => {
    // The demo's antivirus contract ends in 45 days with a month's notice; the helpdesk answers for it.
    const store = new PushStore(s.app.couch);
    const twin = new ReminderPusher(s.app.couch, store, await loadVapidKeys(s.config), s.app.log, {
      allowedOrigins: [ps.origin],
      orgs: () => s.app.orgs.list()
    });
    await twin.kick();
    const url = `/contracts/${encodeURIComponent('contract:ku:eset')}`;
    const got = pushesTo('helpdesk').filter((p) => p.url === url);
    expect(got.map((p) => p.stage).sort()).toEqual(['lead-30', 'lead-90']);
    expect(got.map((p) => p.body).join(' ')).toMatch(/výpovědní lhůta/);
    expect(pushesTo('ucitel.gymkt').some((p) => p.url === url)).toBe(false);
  });
});

describe('exactly once', () => {
  it('a second instance and a restart send nothing again; each delivery is recorded once', async () => {
    const keys = await loadVapidKeys(s.config);
    const make = () =>
      new ReminderPusher(s.app.couch, new PushStore(s.app.couch), keys, s.app.log, {
        allowedOrigins: [ps.origin],
        orgs: () => s.app.orgs.list()
      });
    await make().kick(); // whatever is due now is claimed by the end of one full run
    const before = ps.received.length;
    const [a, b] = [make(), make()];
    await Promise.all([a.kick(), b.kick(), a.kick()]);
    await make().kick();
    expect(ps.received.length).toBe(before);
    for (const u of Object.keys(devices)) {
      const ids = pushesTo(u).map((p) => p.id as string);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const one = pushesTo('reditel.gymkt').find((p) => String(p.url).startsWith('/approvals/'))!;
    const rec = await new PushStore(s.app.couch).get<{ state: string }>(
      reminderDeliveryId(
        String(one.id),
        'reditel.gymkt',
        subscriptionId(devices['reditel.gymkt'].subscription.endpoint)
      )
    );
    expect(rec?.state).toBe('sent');
  });

  it('the scheduler finds what only the clock changed, and stops cleanly', async () => {
    const t = await taskForTeacher(3, 'Plán obnovy techniky');
    const url = `/tasks/${encodeURIComponent(t._id)}`;
    await pushFor('ucitel.gymkt', url, 'lead-7');
    // Four days later, with no write in between, the task is overdue.
    const later = new ReminderPusher(
      s.app.couch,
      new PushStore(s.app.couch),
      await loadVapidKeys(s.config),
      s.app.log,
      {
        allowedOrigins: [ps.origin],
        orgs: () => s.app.orgs.list(),
        now: () => new Date(Date.now() + 4 * DAY)
      }
    );
    later.start(100);
    await pushFor('ucitel.gymkt', url, 'overdue');
    await later.stop();
    const count = ps.received.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(ps.received.length).toBe(count);
    expect(
      pushesTo('ucitel.gymkt')
        .filter((p) => p.url === url)
        .map((p) => p.stage)
    ).toEqual(['lead-7', 'overdue']);
  });

  it('a device the push service says is gone (410) is removed', async () => {
    const gone = receiver(ps.origin, '/gone-ucitel');
    await post('ucitel.gymkt', { subscription: gone.subscription, reminders: true });
    await taskForTeacher(2, 'Kontrola zálohování');
    const store = new PushStore(s.app.couch);
    await waitFor(() => ps.received.find((r) => r.path === '/gone-ucitel'));
    for (let i = 0; i < 100 && (await store.get(subscriptionId(gone.subscription.endpoint))); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await store.get(subscriptionId(gone.subscription.endpoint))).toBeNull();
  });
});

describe('what a run reads', () => {
  it('nothing when nothing changed and no deadline passed; after a change, only that database', async () => {
    const { couch: counting, requests, reads } = countingCouch(s.couchUrl);
    const pusher = new ReminderPusher(counting, new PushStore(counting), await loadVapidKeys(s.config), s.app.log, {
      allowedOrigins: [ps.origin],
      orgs: () => s.app.orgs.list()
    });
    try {
      await pusher.kick(); // the first run reads what the subscribers' reminders come from
      expect(reads()).toBeGreaterThan(3);
      requests.length = 0;

      await pusher.kick();
      pusher.start(20);
      await new Promise((r) => setTimeout(r, 200));
      expect(requests).toEqual([]);

      pusher.changed(['org_gym-kt_tasks']);
      await pusher.kick();
      expect(requests).toHaveLength(1);
      expect(requests[0]).toBe('GET /org_gym-kt_tasks/_all_docs');
    } finally {
      await pusher.stop();
    }
  });
});
