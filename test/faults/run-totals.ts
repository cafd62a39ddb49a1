import type { CardIndex } from './card-index.js';
import type { FaultLedger } from './fault-ledger.js';
import type { FinalState } from './final-state.js';
import type { FaultWorld } from './start-fault-world.js';

/** The run's totals: what was asked, how it ended, and how much everyone talked. */
export function runTotals(
  state: FinalState,
  world: FaultWorld,
  cards: CardIndex,
  approved: ReadonlySet<string>,
  sampled: { samples: number; missed: number },
  ledger: FaultLedger,
  answerTo: (responseId: string) => string | undefined,
): Record<string, number | string> {
  const refusals = ledger.refused.filter((c) =>
    /someone else must approve|not one of the approvers/.test(answerTo(c.responseId) ?? ''),
  );
  const byState = new Map<string, number>();
  for (const p of state.promotions) byState.set(p.state, (byState.get(p.state) ?? 0) + 1);
  const slackCalls = new Map<string, number>();
  for (const c of world.slack.calls) slackCalls.set(c.method, (slackCalls.get(c.method) ?? 0) + 1);
  const platformCalls = world.proxies.map((p) => `${p.caller} ${p.callsSince(0).length}`).join(', ');
  const releases = [...state.releases.values()].reduce((sum, list) => sum + list.length - 1, 0);
  return {
    'downstream apps': state.releases.size,
    requests: state.promotions.length,
    'approved (by a click)': approved.size,
    ...Object.fromEntries([...byState].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => [`state ${s}`, n])),
    'releases made into downstream apps': releases,
    'cards posted': [...cards.allPosted().values()].reduce((a, b) => a + b, 0),
    'slack calls': [...slackCalls].map(([m, n]) => `${m} ${n}`).join(', '),
    'auth.test calls': slackCalls.get('auth.test') ?? 0,
    'platform calls (last 5000 kept per process)': platformCalls,
    'webhook deliveries': world.sim.webhooks.deliveries().length,
    'running samples (missed while FerretDB was down)': `${sampled.samples} (${sampled.missed})`,
    'bot processes started': world.bots.reduce((n, b) => n + b.incarnation(), 0),
    'forged or stale deliveries (answered 401)': `${ledger.forged.length} (${ledger.forged.filter((f) => f.status === 401).length})`,
    'refused clicks (answered with a refusal)': `${ledger.refused.length} (${refusals.length})`,
    'after FerretDB restarts (web ready, first request stored)': ledger.mongoRestarts
      .map((r) => `${after(r.backAt, r.webReadyAt)} / ${after(r.backAt, r.firstRequestAt)}`)
      .join('; '),
  };
}

function after(from: number, to: number | undefined): string {
  return to === undefined ? 'never' : `${((to - from) / 1000).toFixed(1)} s`;
}
