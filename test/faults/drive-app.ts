import { waitFor } from '../../src/local-services/wait-for.js';
import { isTerminal } from '../../src/promotions/promotion.js';
import type { simControl } from '../support/sim-control.js';
import type { CardIndex, CardPlace } from './card-index.js';
import type { FaultLedger } from './fault-ledger.js';
import { channelOf, PEOPLE, upstreamOf } from './fault-people.js';
import type { PromotionWatch, WatchedPromotion } from './promotion-watch.js';
import type { SeededRandom } from './seeded-random.js';
import { type SlackSender, TEAM_ID } from './slack-sender.js';

export type DriveDeps = {
  sim: ReturnType<typeof simControl>;
  sender: SlackSender;
  watch: PromotionWatch;
  cards: CardIndex;
  random: SeededRandom;
  ledger: FaultLedger;
  /** Cards waiting for a click right now: where forged clicks are aimed. */
  openCards: Map<string, CardPlace>;
  /** Requests an approver's click was accepted for. */
  approved: Set<string>;
  stopping(): boolean;
};

type OnCard = { p: WatchedPromotion; card: CardPlace };

/** How often the traffic does each odd thing a real Slack does, or a person does. */
const ODDS = {
  twoOpenRequests: 0.15,
  duplicateDelivery: 0.08,
  replayedDelivery: 0.05,
  selfApproval: 0.12,
  nonApprover: 0.12,
  doubleClick: 0.08,
  replayedClick: 0.05,
  downstreamHotfix: 0.03,
};
const FIND_MS = 20_000;
const APPROVE_TRIES = 4;
const FOLLOW_MS = 120_000;

/**
 * One team member's work on one pipeline, over and over until the run stops: a new build on staging, a `diff`
 * or `promote` in Slack, the card, an approver's click on Approve (now and then after a refused click, twice, or
 * replayed), then watching the request to its end. Sometimes a second request is opened before the first is
 * approved, so two approved requests race for one downstream.
 */
export async function driveApp(deps: DriveDeps, n: number): Promise<void> {
  let build = 1;
  let leftovers: OnCard[] = [];
  while (!deps.stopping()) {
    await deps.sim.deploy(upstreamOf(n), `build ${++build} of ${upstreamOf(n)}`);
    const first = await requestOnCard(deps, n);
    const both = [...leftovers, ...(first ? [first] : [])];
    if (first && deps.random.chance(ODDS.twoOpenRequests)) {
      await deps.sim.deploy(upstreamOf(n), `build ${++build} of ${upstreamOf(n)}`);
      const second = await requestOnCard(deps, n);
      if (second) both.push(second);
      deps.ledger.count('two open requests for one app');
    }
    const outcomes = await Promise.all(both.map((r) => approveAndFollow(deps, r)));
    leftovers = both.filter((_, i) => outcomes[i] === 'still pending');
    // The command did not take (an outage somewhere): a person would try again in a moment.
    if (!first) await pause(1_000);
  }
}

/** `/pipeline diff|promote stage-N`, then the request it stored and its card (undefined when either never came). */
async function requestOnCard(deps: DriveDeps, n: number): Promise<OnCard | undefined> {
  const verb = deps.random.pick(['diff', 'promote'] as const);
  const prepared = deps.sender.commandRequest(PEOPLE.requester, channelOf(n), `${verb} ${upstreamOf(n)}`);
  const copies = deps.random.chance(ODDS.duplicateDelivery) ? 2 : 1;
  if (copies === 2) deps.ledger.count('duplicate delivery');
  const answers = await Promise.all(Array.from({ length: copies }, () => deps.sender.send(prepared.raw)));
  if (!answers.some((a) => a.status === 200)) {
    deps.ledger.count('command not taken (no 200)');
    return undefined;
  }
  const p = await deps.watch.byRequestKey(`${TEAM_ID}:${verb}:${prepared.triggerId}`, FIND_MS);
  if (!p) {
    deps.ledger.count('command stored no request');
    return undefined;
  }
  exchanged(deps, p._id, prepared.id);
  const card = await waitFor('its card', () => deps.cards.placeOf(p._id), FIND_MS).catch(() => undefined);
  if (!card) {
    deps.ledger.count('request without a card in time');
    return undefined;
  }
  if (deps.random.chance(ODDS.replayedDelivery)) {
    deps.ledger.count('replayed delivery');
    await deps.sender.send(prepared.raw);
  }
  return { p, card };
}

type Outcome = 'approved' | 'not approvable' | 'still pending';

async function approveAndFollow(deps: DriveDeps, { p, card }: OnCard): Promise<Outcome> {
  const id = p._id;
  deps.openCards.set(id, card);
  try {
    await refusedClicks(deps, p, card);
    const outcome = await approve(deps, id, card);
    if (outcome !== 'approved') return outcome;
    if (deps.random.chance(ODDS.downstreamHotfix)) {
      // The app really moves for another reason: superseding the request is then the right end.
      deps.ledger.count('downstream hotfix (a real reason to supersede)');
      await deps.sim.deploy(p.downstream, `hotfix on ${p.downstream}`);
    }
    await deps.watch.until(id, (now) => isTerminal(now.state), FOLLOW_MS);
    return outcome;
  } finally {
    deps.openCards.delete(id);
  }
}

/** Clicks the bot must refuse: the requester approving their own request, someone who is no approver. */
async function refusedClicks(deps: DriveDeps, p: WatchedPromotion, card: CardPlace): Promise<void> {
  const tries = [
    ['self-approval', PEOPLE.requester, ODDS.selfApproval],
    ['non-approver', PEOPLE.nonApprover, ODDS.nonApprover],
  ] as const;
  for (const [kind, userId, odds] of tries) {
    if (!deps.random.chance(odds)) continue;
    deps.ledger.count(kind === 'self-approval' ? 'self-approval click' : 'non-approver click');
    const sent = await deps.sender.click(userId, card, 'promotion.approve', p._id);
    exchanged(deps, p._id, sent.id);
    deps.ledger.refused.push({ kind, promotionId: p._id, userId, status: sent.status, responseId: sent.id });
  }
}

/** An approver clicks Approve, again if nothing came of it (as a person would after an error). */
async function approve(deps: DriveDeps, id: string, card: CardPlace): Promise<Outcome> {
  const approver = deps.random.pick(PEOPLE.approvers);
  for (let attempt = 0; attempt < APPROVE_TRIES; attempt++) {
    const prepared = deps.sender.clickRequest(approver, card, 'promotion.approve', id);
    const copies = attempt === 0 && deps.random.chance(ODDS.doubleClick) ? 2 : 1;
    if (copies === 2) deps.ledger.count('double click');
    await Promise.all(Array.from({ length: copies }, () => deps.sender.send(prepared.raw)));
    exchanged(deps, id, prepared.id);
    const now = await deps.watch.until(
      id,
      (q) => q.state !== 'pending_approval' || q.approvals.some((a) => a.userId === approver),
      FIND_MS,
    );
    if (now?.approvals.some((a) => a.userId === approver)) {
      deps.approved.add(id);
      if (deps.random.chance(ODDS.replayedClick)) {
        deps.ledger.count('replayed click');
        await deps.sender.send(prepared.raw);
      }
      return 'approved';
    }
    if (now && now.state !== 'pending_approval') return 'not approvable';
    deps.ledger.count('approve clicked again (nothing came of a click)');
  }
  return 'still pending';
}

function exchanged(deps: DriveDeps, promotionId: string, responseId: string): void {
  deps.ledger.exchanges.set(promotionId, [...(deps.ledger.exchanges.get(promotionId) ?? []), responseId]);
}

/** A pause before trying again after a failure: there is nothing to wait for but time. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
