/** Tasks down and back up through the gateway: the path that must pass and every refusal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, uniqueId, type Client } from '../gateway/test-support';
import { login, startTestServer, type TestServer } from '../testing/server';

let s: TestServer;
const c: Record<string, Client> = {};

beforeAll(async () => {
  s = await startTestServer();
  for (const u of ['odbor.skolstvi', 'reditel.gymkt', 'ucitel.gymkt', 'admin'])
    c[u] = client(s.url, await login(s.url, u));
}, 120_000);
afterAll(async () => s?.close());

const now = () => new Date().toISOString();
const audit = (org: string, by: string) => ({
  orgId: org,
  createdBy: by,
  createdAt: now(),
  updatedBy: by,
  updatedAt: now()
});

function task(org: string, extra: Record<string, unknown> = {}) {
  return {
    _id: uniqueId(`task-${org}`),
    ...audit(org, 'odbor.skolstvi'),
    type: 'task',
    title: 'Inventura ICT',
    description: 'Do 15. ledna',
    issueId: 'issue-test',
    issuedBy: 'skolstvi',
    targets: [org],
    dueAt: new Date(Date.now() + 14 * 864e5).toISOString(),
    ...extra
  };
}

const step = (t: { _id: string; orgId: string }, by: string, action: string, extra: Record<string, unknown> = {}) => ({
  _id: `${t._id}:step:${uniqueId(action)}`,
  ...audit(t.orgId, by),
  type: 'task-step',
  parentId: t._id,
  action,
  at: now(),
  ...extra
});

async function write(user: string, db: string, docs: unknown[]) {
  const res = await c[user].bulkDocs(db, docs);
  return res;
}
const ok = async (user: string, db: string, doc: unknown) =>
  expect((await write(user, db, [doc])).body[0]).toMatchObject({ ok: true });

describe('tasks through the gateway', () => {
  const DB = 'org_gym-kt_tasks';

  it('issued → accepted → passed to a worker → done → reported → accepted back', async () => {
    const t = task('gym-kt');
    await ok('odbor.skolstvi', DB, t);
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'accept'));
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'assign', { assignee: 'ucitel.gymkt' }));
    await ok('ucitel.gymkt', DB, step(t, 'ucitel.gymkt', 'comment', { text: 'Hotovo v učebnách.' }));
    await ok('ucitel.gymkt', DB, step(t, 'ucitel.gymkt', 'done'));
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'report'));
    await ok('odbor.skolstvi', DB, step(t, 'odbor.skolstvi', 'accept-up'));
  });

  it('refuses a task issued to an organization the department did not found', async () => {
    const res = await write('odbor.skolstvi', 'org_sus_tasks', [task('sus')]);
    expect(res.status).toBe(403);
    expect(res.body as unknown).toMatchObject({ reason: 'you have no access to org_sus_tasks' });
    const admin = await write('admin', 'org_sus_tasks', [task('sus', { createdBy: 'admin', updatedBy: 'admin' })]);
    expect(admin.body[0]).toMatchObject({ ok: true });
    const other = await write('odbor.skolstvi', DB, [task('gym-kt', { issuedBy: 'doprava' })]);
    expect(other.body[0]).toMatchObject({
      error: 'forbidden',
      reason: 'a task you issue is issued by your department (skolstvi)'
    });
  });

  it('refuses issuing by a director', async () => {
    const res = await write('reditel.gymkt', DB, [
      task('gym-kt', { createdBy: 'reditel.gymkt', updatedBy: 'reditel.gymkt' })
    ]);
    expect(res.body[0]).toMatchObject({
      error: 'forbidden',
      reason: 'only a founding department issues tasks to organizations'
    });
  });

  it('refuses a worker marking done a task that is not theirs', async () => {
    const t = task('gym-kt');
    await ok('odbor.skolstvi', DB, t);
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'assign', { assignee: 'jiny.gymkt' }));
    const res = await write('ucitel.gymkt', DB, [step(t, 'ucitel.gymkt', 'done')]);
    expect(res.body[0]).toMatchObject({
      error: 'forbidden',
      reason: 'only the worker the task was passed to (jiny.gymkt) marks it done'
    });
  });

  it('refuses accepting back by anyone but the issuer', async () => {
    const t = task('gym-kt');
    await ok('odbor.skolstvi', DB, t);
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'accept'));
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'report'));
    const res = await write('reditel.gymkt', DB, [step(t, 'reditel.gymkt', 'accept-up')]);
    expect(res.body[0]).toMatchObject({
      error: 'forbidden',
      reason: 'only the issuing department (skolstvi) may accept the task back or return it'
    });
    const ret = await write('odbor.skolstvi', DB, [step(t, 'odbor.skolstvi', 'return-up')]);
    expect(ret.body[0]).toMatchObject({ error: 'forbidden', reason: 'a return needs a reason' });
    await ok('odbor.skolstvi', DB, step(t, 'odbor.skolstvi', 'return-up', { text: 'Chybí licence.' }));
  });

  it('refuses a step the task’s state does not allow and a change to a past step', async () => {
    const t = task('gym-kt');
    await ok('odbor.skolstvi', DB, t);
    const early = await write('reditel.gymkt', DB, [step(t, 'reditel.gymkt', 'report')]);
    expect(early.body[0]).toMatchObject({
      error: 'forbidden',
      reason: 'a task that is new cannot take the step report'
    });
    const s1 = step(t, 'reditel.gymkt', 'accept');
    const r1 = await write('reditel.gymkt', DB, [s1]);
    const changed = await write('reditel.gymkt', DB, [{ ...s1, _rev: r1.body[0].rev, text: 'jinak' }]);
    expect(changed.body[0]).toMatchObject({ error: 'forbidden', reason: 'a step is a record and may not be changed' });
  });

  it('a director splits a task into sub-tasks that the workers complete and the director confirms', async () => {
    const t = task('gym-kt');
    await ok('odbor.skolstvi', DB, t);
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'accept'));
    const sub = {
      _id: `${t._id}:sub:${uniqueId('s')}`,
      ...audit('gym-kt', 'reditel.gymkt'),
      type: 'task',
      title: 'Učebny 1–3',
      parentId: t._id,
      assignee: 'ucitel.gymkt'
    };
    await ok('reditel.gymkt', DB, sub);
    const early = await write('reditel.gymkt', DB, [step(t, 'reditel.gymkt', 'report')]);
    expect(early.body[0]).toMatchObject({ error: 'forbidden' });
    const subRef = { _id: sub._id, orgId: 'gym-kt' };
    await ok('ucitel.gymkt', DB, step(subRef, 'ucitel.gymkt', 'done'));
    await ok('reditel.gymkt', DB, step(subRef, 'reditel.gymkt', 'confirm'));
    await ok('reditel.gymkt', DB, step(t, 'reditel.gymkt', 'report'));
  });
});
