/**
 * No sequence of decisions, in any order, by anyone, across corrections, approves a document
 * unless the rule set in force on its registration day was followed: every required step
 * approved in the current round, in order, by people holding the step's role, no person
 * twice except the combination the rule set and the organization allow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../access';
import { APPROVAL_STEPS } from '../schemas/approvals';
import { approvalStatus, judgeDecision, type Decision } from './approval';
import { mayCombine, requiredSteps, ruleSetFor } from './rule-sets';
import { RULES, doc as makeDoc } from './test-factories';

const ROLES: Role[] = ['manager', 'budget', 'accountant', 'clerk'];

const scenario = fc.record({
  type: fc.constantFrom('order' as const, 'invoice' as const, 'prislib' as const),
  registeredOn: fc.constantFrom('2026-06-30', '2026-12-31', '2027-01-01', '2027-03-15'),
  flags: fc.record({ allowBudgetAccountantSamePerson: fc.boolean(), invoicesNeedBudget: fc.boolean() }),
  // Someone holds each role; the others hold random mixes (a director who is also accountant...).
  people: fc.array(fc.subarray(ROLES, { minLength: 1 }), { maxLength: 3 }).chain((extra) =>
    fc.shuffledSubarray([['manager'], ['budget'], ['accountant'], ['budget', 'accountant'], ...extra] as Role[][], {
      minLength: 3
    })
  ),
  moves: fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('decide' as const),
        // -1: someone who holds the due step's role (if anyone does)
        who: fc.oneof({ arbitrary: fc.constant(-1), weight: 3 }, { arbitrary: fc.nat(4), weight: 1 }),
        // Mostly the step that is due and the role it needs, so that many runs reach approval.
        step: fc.oneof(fc.constant('due' as const), fc.constant('due' as const), fc.constantFrom(...APPROVAL_STEPS)),
        verdict: fc.oneof(
          { arbitrary: fc.constant('approve' as const), weight: 5 },
          { arbitrary: fc.constant('reject' as const), weight: 1 }
        ),
        role: fc.oneof(fc.constant('own'), fc.constant('own'), fc.constantFrom<string>(...ROLES, 'admin')),
        funds: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
        comment: fc.boolean(),
        staleRound: fc.boolean()
      }),
      fc.record({ kind: fc.constant('correct' as const) })
    ),
    { maxLength: 14 }
  )
});

describe('approval rule engine: properties', () => {
  let approved = 0;
  it('approves only a complete, ordered, distinct and eligible sequence under the rules of the registration day', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        let doc = makeDoc({ type: s.type, registeredOn: s.registeredOn });
        const all: Decision[] = [];
        let clock = 0;
        for (const [i, m] of s.moves.entries()) {
          const status = approvalStatus(doc, all, RULES, s.flags);
          if (m.kind === 'correct') {
            if (status.state === 'rejected') doc = { ...doc, round: doc.round + 1 };
            continue;
          }
          const step = m.step === 'due' ? (status.nextStep ?? 'prikazce') : m.step;
          const holder = s.people.findIndex((r) => r.includes(status.rules?.stepRoles[step] ?? 'admin'));
          const who = m.who === -1 && holder >= 0 ? holder : Math.max(m.who, 0) % s.people.length;
          const role = m.role === 'own' ? (status.rules?.stepRoles[step] ?? 'manager') : m.role;
          const d: Decision = {
            id: `${doc.id}:dec:${i}`,
            parentId: doc.id,
            round: m.staleRound && doc.round > 1 ? doc.round - 1 : doc.round,
            step,
            verdict: m.verdict,
            role,
            createdBy: `p${who}`,
            decidedAt: '2026-11-30T10:00:00.000Z',
            fundsConfirmed: m.funds,
            comment: m.comment ? 'důvod' : undefined
          };
          const accepted = status.current;
          const refused = judgeDecision({
            ruleSets: RULES,
            flags: s.flags,
            doc,
            accepted,
            decision: d,
            roles: s.people[who]
          });
          if (!refused) all.push({ ...d, receivedAt: new Date(Date.UTC(2026, 10, 30, 10, 0, clock++)).toISOString() });
        }
        const st = approvalStatus(doc, all, RULES, s.flags);
        const rules = ruleSetFor(RULES, s.registeredOn)!;
        expect(st.rules?.id).toBe(rules.id);
        expect(st.steps).toEqual(requiredSteps(rules, s.type, s.flags));
        approved += st.state === 'approved' ? 1 : 0;
        if (st.state !== 'approved') return;
        const round = all.filter((d) => d.round === doc.round);
        expect(round.every((d) => d.verdict === 'approve')).toBe(true);
        expect(round.map((d) => d.step)).toEqual(st.steps);
        for (const d of round) {
          const who = Number(d.createdBy.slice(1));
          expect(s.people[who]).toContain(rules.stepRoles[d.step]);
        }
        for (const a of round)
          for (const b of round)
            if (a !== b && a.createdBy === b.createdBy) expect(mayCombine(rules, s.flags, a.step, b.step)).toBe(true);
      }),
      { numRuns: 1500 }
    );
    // The property must not hold vacuously: many runs do reach approval.
    expect(approved).toBeGreaterThan(100);
  });

  it('the order decisions arrive in decides, never the order they were made', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100), { minLength: 2, maxLength: 5 }), (deviceMinutes) => {
        const doc = makeDoc();
        const ds: Decision[] = deviceMinutes.map((m, i) => ({
          id: `${doc.id}:dec:${i}`,
          parentId: doc.id,
          round: 1,
          step: 'prikazce',
          verdict: 'approve',
          role: 'manager',
          createdBy: `d${i}`,
          decidedAt: new Date(Date.UTC(2026, 10, 30, 8, m)).toISOString(),
          receivedAt: new Date(Date.UTC(2026, 10, 30, 10, i)).toISOString()
        }));
        const st = approvalStatus(doc, [...ds].reverse(), RULES, {});
        expect(st.current.map((d) => d.createdBy)).toEqual(['d0']);
      })
    );
  });
});
