import type { CardIndex } from './card-index.js';
import { cardStatus } from './card-status.js';
import type { FinalState, StoredPromotion } from './final-state.js';
import { type Invariant, zeroCount } from './invariant.js';
import { releaseFacts } from './release-facts.js';

/**
 * Each posted card, as Slack shows it last, says what its request's stored state is (done with the same version),
 * and no card still says "Promoting…" or "Superseded" of a request whose release was made.
 */
export function cardDisagreements(state: FinalState, cards: CardIndex): Invariant {
  const evidence: string[] = [];
  const byId = new Map(state.promotions.map((p) => [p._id, p]));
  for (const place of state.cards) {
    const p = byId.get(place._id);
    if (!p || !place.channelId || !place.ts) continue;
    const wrong = disagreement(state, p, cards.shownAt({ channelId: place.channelId, ts: place.ts })?.blocks ?? []);
    if (wrong) evidence.push(`${p._id} (${p.upstream} → ${p.downstream}, ${place.channelId} ${place.ts}): ${wrong}`);
  }
  return zeroCount('cards that disagree with their request', evidence);
}

export function disagreement(
  state: FinalState,
  p: StoredPromotion,
  blocks: Parameters<typeof cardStatus>[0],
): string | undefined {
  const shown = cardStatus(blocks);
  if (!shown) return `the card shows no status line (stored ${p.state})`;
  const says = `card says "${shown.line.slice(0, 100)}"`;
  if (!shown.states.includes(p.state)) return `${says}, stored ${p.state}`;
  if (p.state === 'succeeded' && shown.version !== p.result?.version) return `${says}, stored v${p.result?.version}`;
  const { own } = releaseFacts(state, p);
  const stuck = shown.states.includes('running') || shown.states.includes('superseded');
  if (stuck && own.length > 0) return `${says} (stored ${p.state}), yet its release v${own[0]?.version} was made`;
  return undefined;
}

/** One card per request: a repeated or replayed command finds its request, and does not post it again. */
export function duplicateCards(cards: CardIndex): Invariant {
  const evidence = [...cards.allPosted()]
    .filter(([, count]) => count > 1)
    .map(([id, count]) => `${id}: ${count} cards posted`);
  return zeroCount('requests with more than one card', evidence);
}
