import { describe, expect, it } from 'vitest';
import type { Membership, Role, SessionUser } from '../access';
import { parseDbName, type DbRef } from '../databases';
import { checkWrite, type Doc } from '../write-rules';
import { founderMayUseTaskFile, founderMediaShape, issuedFilesOf, taskIdOfRef, taskRef } from './task-media';

const user = (id: string, ...memberships: Membership[]): SessionUser => ({ id, name: id, memberships });
const odbor = user('odbor.skolstvi', { role: 'founder', department: 'skolstvi' });
const both = user('oba', { role: 'founder', department: 'skolstvi' }, { role: 'manager', org: 'gym-kt' });
const T = '2026-11-30T08:00:00.000Z';
const file = (by: string, ref?: string): Doc => ({
  id: 'm1',
  orgId: 'gym-kt',
  createdBy: by,
  createdAt: T,
  updatedBy: by,
  updatedAt: T,
  fileName: 'zadani.pdf',
  contentType: 'application/pdf',
  ...(ref ? { ref } : {})
});
const write = (u: SessionUser, roles: Role[], after: Doc, hooks = {}, before: Doc | null = null) =>
  checkWrite({ user: u, roles, db: parseDbName('org_gym-kt_media') as DbRef, before, after }, hooks);
const task = (extra: Doc = {}): Doc => ({ type: 'task', orgId: 'gym-kt', issuedBy: 'skolstvi', ...extra });

describe('task files of a founding department', () => {
  it('a file names its task by ref', () => {
    expect(taskIdOfRef(taskRef('task-gym-kt-1'))).toBe('task-gym-kt-1');
    expect(taskIdOfRef('tasks/')).toBeNull();
    expect(taskIdOfRef('tickets/t1')).toBeNull();
    expect(founderMediaShape(file('x', 'tasks/t1'))).toBeNull();
    expect(founderMediaShape(file('x'))).toMatch(/only to the tasks it issues/);
  });

  it('the task must be an issued task of this organization from one of the departments of the user', () => {
    expect(founderMayUseTaskFile(odbor, 'gym-kt', task(), 't1')).toBeNull();
    expect(founderMayUseTaskFile(odbor, 'gym-kt', null, 't1')).toMatch(/does not exist/);
    expect(founderMayUseTaskFile(odbor, 'gym-kt', task({ type: 'task-step' }), 't1')).toMatch(/does not exist/);
    expect(founderMayUseTaskFile(odbor, 'gym-kt', task({ parentId: 't0' }), 't1')).toMatch(/not a task issued/);
    expect(founderMayUseTaskFile(odbor, 'gym-kt', task({ orgId: 'sos-do' }), 't1')).toMatch(/not a task issued/);
    expect(founderMayUseTaskFile(odbor, 'gym-kt', task({ issuedBy: 'kultura' }), 't1')).toMatch(/another department/);
  });

  it('checkWrite: a founder file needs the server check; with it, the check decides', () => {
    expect(write(odbor, ['founder'], file('odbor.skolstvi', 'tasks/t1'))).toMatch(/only by the server/);
    const hooks = { checkFounderMedia: (c: { after: Doc }) => (c.after.ref === 'tasks/t1' ? null : 'other task') };
    expect(write(odbor, ['founder'], file('odbor.skolstvi', 'tasks/t1'), hooks)).toBeNull();
    expect(write(odbor, ['founder'], file('odbor.skolstvi', 'tasks/t2'), hooks)).toBe('other task');
    expect(write(odbor, ['founder'], file('odbor.skolstvi'), hooks)).toMatch(/only to the tasks it issues/);
    expect(write(odbor, ['founder'], file('odbor.skolstvi', 'tasks/t1'), hooks, file('ucitel', 'tasks/t1'))).toMatch(
      /only who uploaded/
    );
  });

  it('a user who is also the director writes files as the director (no task needed)', () => {
    expect(write(both, ['founder', 'manager'], file('oba', 'tickets/t1'))).toBeNull();
  });

  it('the files to bring onto the device are those of the given tasks', () => {
    const rows = [{ task: { orgId: 'gym-kt', mediaIds: ['m1', 'm2'] } }, { task: { orgId: 'sos-do' } }];
    expect(issuedFilesOf(rows)).toEqual([
      { orgId: 'gym-kt', mediaId: 'm1' },
      { orgId: 'gym-kt', mediaId: 'm2' }
    ]);
  });
});
