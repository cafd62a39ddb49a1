import { describe, expect, it } from 'vitest';
import { decideApproval, decideCancel, decideRejection } from '../../src/promotions/approval-rules.js';
import type { Promotion } from '../../src/promotions/promotion.js';

const now = new Date('2026-11-26T10:00:00Z');
const request = (over: Partial<Promotion> = {}): Promotion =>
  ({
    id: 'p1',
    kind: 'promotion',
    downstream: 'myapp',
    requestedBy: 'U0ANA',
    expiresAt: new Date('2026-11-27T10:00:00Z'),
    policy: { approvals: 2, users: [], groups: [], selfApproval: false },
    approvals: [],
    state: 'pending_approval',
    ...over,
  }) as Promotion;

describe('decideApproval', () => {
  it('counts distinct approvers up to N', () => {
    const first = decideApproval(request(), 'U0BOB', true, now);
    expect(first).toMatchObject({ ok: true, state: 'pending_approval', approvals: [{ userId: 'U0BOB' }] });
    const second = decideApproval(request({ approvals: [{ userId: 'U0BOB', at: now }] }), 'U0CAROL', true, now);
    expect(second).toMatchObject({ ok: true, state: 'approved' });
  });

  it('treats a repeat by the same person as already done, not as a second approval', () => {
    expect(decideApproval(request({ approvals: [{ userId: 'U0BOB', at: now }] }), 'U0BOB', true, now)).toEqual({
      ok: false,
      already: true,
      reason: 'You already approved this (1 of 2).',
    });
  });

  it('refuses the requester unless self-approval is on, and anyone not allowed', () => {
    expect(decideApproval(request(), 'U0ANA', true, now)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/self-approval is off/),
    });
    expect(
      decideApproval(
        request({ policy: { approvals: 1, users: [], groups: [], selfApproval: true } }),
        'U0ANA',
        true,
        now,
      ),
    ).toMatchObject({ ok: true, state: 'approved' });
    expect(decideApproval(request(), 'U0EVE', false, now)).toMatchObject({
      ok: false,
      reason: 'You are not one of the approvers for myapp.',
    });
  });

  it('refuses once the request is decided or past its expiry', () => {
    expect(decideApproval(request({ state: 'rejected' }), 'U0BOB', true, now)).toMatchObject({
      ok: false,
      reason: 'This request was rejected; there is nothing to approve.',
    });
    expect(decideApproval(request({ expiresAt: now }), 'U0BOB', true, now)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^This request expired at/),
    });
  });
});

describe('decideRejection and decideCancel', () => {
  it('let any allowed approver reject a pending request, and nobody else', () => {
    expect(decideRejection(request(), 'U0BOB', true, now)).toEqual({ ok: true, state: 'rejected' });
    expect(decideRejection(request(), 'U0EVE', false, now)).toMatchObject({ ok: false });
    expect(decideRejection(request({ state: 'approved' }), 'U0BOB', true, now)).toMatchObject({
      ok: false,
      reason: 'This request is approved and about to run; there is nothing to reject.',
    });
  });

  it('let only the requester cancel, and only before it runs', () => {
    expect(decideCancel(request(), 'U0ANA')).toEqual({ ok: true, state: 'cancelled' });
    expect(decideCancel(request({ state: 'approved' }), 'U0ANA')).toEqual({ ok: true, state: 'cancelled' });
    expect(decideCancel(request({ state: 'running' }), 'U0ANA')).toMatchObject({
      ok: false,
      reason: 'This request is running; it can no longer be cancelled.',
    });
    expect(decideCancel(request(), 'U0BOB')).toMatchObject({ ok: false });
  });
});
