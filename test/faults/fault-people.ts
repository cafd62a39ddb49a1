import { APPROVER_GROUP } from './start-fault-world.js';

/**
 * Who does what in the run's workspace. Ana asks for every promotion; Bob is an approver by name, Cat through the
 * approvers' user group; Eve is no approver; Mal is an approver whom only forged requests claim to be, so any
 * trace of Mal in the store is a forged request that was accepted.
 */
export const PEOPLE = {
  requester: 'U0ANA',
  approvers: ['U0BOB', 'U0CAT'],
  nonApprover: 'U0EVE',
  forger: 'U0MAL',
} as const;

/** The policy of every downstream app: one approval, by Bob, Mal or the group; self-approval off (the default). */
export const POLICY_ARGS = `approvals=1 approvers=<@U0BOB>,<@${PEOPLE.forger}>,<!subteam^${APPROVER_GROUP}>`;

/** Everyone whose approval the policy counts. */
export const POLICY_APPROVERS = new Set<string>(['U0BOB', PEOPLE.forger, 'U0CAT']);

export const upstreamOf = (n: number) => `stage-${n}`;
export const downstreamOf = (n: number) => `prod-${n}`;
export const channelOf = (n: number) => `C0APP${String(n).padStart(2, '0')}`;
