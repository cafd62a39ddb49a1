import type { Commit } from '../platform/platform.js';

/** DESIGN §5. A string union, never an enum. */
export type PromotionState =
  | 'pending_approval'
  | 'approved'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'superseded';

export const TERMINAL_STATES: readonly PromotionState[] = [
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
  'superseded',
];
export const isTerminal = (state: PromotionState) => TERMINAL_STATES.includes(state);
/** Open: still waiting to run (a running request is its worker's to finish). */
export const OPEN_STATES: readonly PromotionState[] = ['pending_approval', 'approved'];
export const isOpen = (state: PromotionState) => OPEN_STATES.includes(state);

/** A release as it was when looked at: what is approved is exactly what gets promoted. */
export type PinnedRelease = { id: string; version: number; slugId: string | null; commit: string | null };

export type PolicySnapshot = { approvals: number; users: string[]; groups: string[]; selfApproval: boolean };

export type DiffSnapshot = {
  aheadBy: number;
  behindBy: number;
  commits: Commit[];
  /** What the downstream has that the upstream lacks, newest first (absent on requests stored before it was kept). */
  behindCommits?: Commit[];
  url: string | null;
  partial: boolean;
  /** Hash of what was shown, so a card and an audit entry can prove they describe the same diff. */
  hash: string;
};

export type Promotion = {
  id: string;
  teamId: string;
  /** Supplied by the caller (Slack's stable ids): a retried or double-clicked request maps to this one record. */
  requestKey: string;
  kind: 'promotion' | 'rollback';
  /** The app promoted from; for a rollback, the app itself. */
  upstream: string;
  downstream: string;
  /** The release whose slug goes onto the downstream (the upstream's, or the older one rolled back to). */
  source: PinnedRelease;
  /** The downstream's release when the request was made: if its slug changes, the request is superseded. */
  downstreamAtRequest: PinnedRelease;
  diff: DiffSnapshot | null;
  requestedBy: string;
  createdAt: Date;
  expiresAt: Date;
  /** The policy in force, as last evaluated (at request time, and again whenever it changed). */
  policy: PolicySnapshot;
  /** Wait for a click even when the policy needs no approval (diff's card; a promotion that removes commits). */
  confirm?: boolean;
  /** The last time the policy in force changed under the request: who, from what, whose approvals stopped counting. */
  policyChange?: { by: string; at: Date; before: PolicySnapshot; dropped: string[] };
  approvals: { userId: string; at: Date }[];
  /** Opened where people see it: it may run only once its card is posted (the reconciler checks, too). */
  mustBeShown?: boolean;
  state: PromotionState;
  /** Bumped by every transition; transitions compare-and-set on (state, rev). */
  rev: number;
  updatedAt: Date;
  rejection?: { by: string; reason: string; at: Date };
  cancelledBy?: string;
  result?: { releaseId: string; version: number };
  error?: string;
  /**
   * When the last write to the platform began whose outcome is unknown (no answer came, or its worker died): the
   * platform may still apply it, so no second write goes out until that can no longer happen.
   */
  writingSince?: Date | null;
};

/** `Promote myapp-staging v6 0f0a53b`, as the seed's CLI described a promoted release. */
export function promotionDescription(promotion: Pick<Promotion, 'upstream' | 'source'>): string {
  const sha = promotion.source.commit ? ` ${promotion.source.commit.slice(0, 7)}` : '';
  return `Promote ${promotion.upstream} v${promotion.source.version}${sha}`;
}

/** The description a request's release carries: ours for a promotion, the platform's for a rollback. */
export function releaseDescriptionOf(p: Pick<Promotion, 'kind' | 'upstream' | 'source'>): string {
  return p.kind === 'rollback' ? `Rollback to v${p.source.version}` : promotionDescription(p);
}
