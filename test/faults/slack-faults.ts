import type { FaultDeps } from './fault-deps.js';
import { channelOf, PEOPLE, upstreamOf } from './fault-people.js';

/**
 * A request that is not Slack's: signed with another secret, or correctly signed six minutes ago (a replay Bolt
 * must call stale). Either an Approve click on an open card, or a `/pipeline promote`, claiming to come from Mal,
 * an approver whom no genuine request ever names: the answer must be 401, and Mal must appear nowhere after.
 */
export async function forgedDelivery(deps: FaultDeps, signing: 'wrong-secret' | 'stale'): Promise<void> {
  const open = [...deps.openCards.entries()];
  if (open.length > 0 && deps.random.chance(0.6)) {
    const [promotionId, card] = deps.random.pick(open);
    const sent = await deps.sender.click(PEOPLE.forger, card, 'promotion.approve', promotionId, signing);
    deps.ledger.forged.push({
      kind: signing,
      what: 'click',
      status: sent.status,
      triggerId: sent.triggerId,
      responseId: sent.id,
      userId: PEOPLE.forger,
      promotionId,
    });
    return;
  }
  const n = deps.random.int(1, deps.apps);
  const sent = await deps.sender.command(PEOPLE.forger, channelOf(n), `promote ${upstreamOf(n)}`, signing);
  deps.ledger.forged.push({
    kind: signing,
    what: 'command',
    status: sent.status,
    triggerId: sent.triggerId,
    responseId: sent.id,
    userId: PEOPLE.forger,
  });
}
