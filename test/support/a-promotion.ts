import type { PinnedRelease, Promotion } from '../../src/promotions/promotion.js';

const AT = new Date('2026-11-26T10:00:00Z');

/** A pinned release `vN` with made-up ids (`r6`, `s6`) and, when given, its commit. */
export const pinnedRelease = (version: number, commit: string | null = null): PinnedRelease => ({
  id: `r${version}`,
  version,
  slugId: `s${version}`,
  commit,
});

/**
 * A request as the store holds it: staging v6 to production (at v2), asked by U0ANA, waiting for one approval,
 * no diff; each test overrides what it is about.
 */
export function aPromotion(overrides: Partial<Promotion> = {}): Promotion {
  const createdAt = overrides.createdAt ?? AT;
  return {
    id: '0b5b5c8e-8f0e-4a7b-9a52-3b1f6a3f4c11',
    teamId: 'T0ACME',
    requestKey: 'key',
    kind: 'promotion',
    upstream: 'myapp-staging',
    downstream: 'myapp',
    source: pinnedRelease(6),
    downstreamAtRequest: pinnedRelease(2),
    diff: null,
    requestedBy: 'U0ANA',
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 86_400_000),
    policy: { approvals: 1, users: [], groups: [], selfApproval: false },
    approvals: [],
    state: 'pending_approval',
    rev: 0,
    updatedAt: createdAt,
    ...overrides,
  };
}
