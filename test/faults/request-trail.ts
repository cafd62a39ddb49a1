import type { SlackFake } from '../support/slack-fake.js';
import type { FaultLedger } from './fault-ledger.js';
import type { FinalState } from './final-state.js';
import type { Invariant } from './invariant.js';

const REQUEST_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

/**
 * What happened to one request, in words: its audit trail (who moved it where, and why) and what the bot answered
 * the commands and clicks about it. Added under each evidence line that names a request, so a broken invariant
 * can be read without opening the logs.
 */
export function withTrails(invariant: Invariant, state: FinalState, slack: SlackFake, ledger: FaultLedger): Invariant {
  if (invariant.ok) return invariant;
  const evidence = invariant.evidence.flatMap((line) => {
    const id = REQUEST_ID.exec(line)?.[1];
    return id ? [line, `    audit: ${auditTrail(state, id)}`, `    answers: ${answers(slack, ledger, id)}`] : [line];
  });
  return { ...invariant, evidence };
}

function auditTrail(state: FinalState, id: string): string {
  const events = state.audit
    .filter((e) => e.promotionId === id)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => {
      const why = e.details?.reason ? ` ("${e.details.reason.slice(0, 140)}")` : '';
      return `${e.at.toISOString().slice(11, 23)} ${e.action.replace('promotion.', '')} by ${e.actor}${why}`;
    });
  return events.join(' → ') || 'none';
}

function answers(slack: SlackFake, ledger: FaultLedger, id: string): string {
  const texts = (ledger.exchanges.get(id) ?? []).flatMap((responseId) =>
    slack.responsesTo(responseId).map((body) => JSON.stringify(String(body.text ?? '').slice(0, 140))),
  );
  return texts.join(' | ') || 'none recorded';
}
