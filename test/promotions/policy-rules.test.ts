import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/pipelines/policy.js';
import { CONFIRM_POLICY, describePolicyChange, reevaluate, snapshotOf } from '../../src/promotions/policy-in-force.js';
import { aPromotion } from '../support/a-promotion.js';

const at = new Date('2026-12-01T10:00:00Z');
const policy = (approvals: number, users: string[] = [], selfApproval = false) => ({
  approvals,
  users,
  groups: [],
  selfApproval,
});

describe('the policy in force over an open request', () => {
  it('asks a confirm click when the app needs no approval, and its own count for a rollback', () => {
    expect(snapshotOf(DEFAULT_POLICY, 'promotion', true)).toEqual(CONFIRM_POLICY);
    expect(snapshotOf(DEFAULT_POLICY, 'promotion')).toEqual(policy(0));
    expect(snapshotOf({ ...DEFAULT_POLICY, approvals: 2, rollbackApprovals: 1 }, 'rollback').approvals).toBe(1);
  });

  it('drops approvals by people who are no longer approvers, and by the requester once self-approval is off', () => {
    const p = aPromotion({
      requestedBy: 'U0ANA',
      policy: policy(2, [], true),
      approvals: [
        { userId: 'U0ANA', at },
        { userId: 'U0BOB', at },
      ],
      state: 'approved',
    });
    const change = reevaluate(p, policy(2, ['U0BOB', 'U0DAVE']), (u) => ['U0BOB', 'U0DAVE', 'U0ANA'].includes(u));
    expect(change).toEqual({
      policy: policy(2, ['U0BOB', 'U0DAVE']),
      approvals: [{ userId: 'U0BOB', at }],
      dropped: ['U0ANA'],
      state: 'pending_approval',
    });
  });

  it('approves when the approvals given already satisfy a relaxed policy, and changes nothing when nothing did', () => {
    const p = aPromotion({ policy: policy(2), approvals: [{ userId: 'U0BOB', at }], state: 'pending_approval' });
    expect(reevaluate(p, policy(1), () => true)?.state).toBe('approved');
    expect(reevaluate(p, policy(2), () => true)).toBeNull();
  });

  it('says what changed in words, for the card and the history', () => {
    expect(describePolicyChange(policy(1), policy(2, ['U0DAVE']), ['U0BOB'])).toBe(
      "approvals 1 → 2, approvers anyone → <@U0DAVE>; <@U0BOB>'s approval no longer counts",
    );
    expect(describePolicyChange(policy(1, [], true), policy(1), ['U0ANA', 'U0BOB'])).toBe(
      'self-approval on → off; the approvals of <@U0ANA>, <@U0BOB> no longer count',
    );
  });
});
