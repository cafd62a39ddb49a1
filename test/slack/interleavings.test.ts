import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import { isTerminal, type Promotion, promotionDescription } from '../../src/promotions/promotion.js';
import { startSlackHarness, WEBHOOK_SECRET } from '../support/slack-harness.js';

// Issue 13: random interleavings of what users do (diff, promote, approve, reject, remove and re-add a link,
// change a policy, deploy straight to a downstream), through signed Slack requests into the real program. After
// each step, once things settle, the cards must be true: no live card for a request that is not the open one for
// its change, no release that approvers under the policy in force did not approve, no "done" or "failed" that
// is not so. A seeded script: a failure names its seed and step, and replays.
const RUNS = 6;
const STEPS = 25;
const SEED = Number(process.env.INTERLEAVINGS_SEED ?? 20261202);

const USERS = ['U0ANA', 'U0BOB', 'U0CAROL', 'U0DAVE', 'U0SRE1'];
const GROUP = { S0SRE: ['U0SRE1', 'U0SRE2'] };
const APPROVERS = ['anyone', '<@U0DAVE>', '<!subteam^S0SRE>', '<@U0BOB>,<@U0CAROL>'];
const LINKS: [string, string][] = [
  ['myapp-staging', 'myapp'],
  ['myapp-jim-dev', 'myapp-staging'],
  ['myapp-kim-dev', 'myapp-staging'],
];
const DEPLOYABLE = ['myapp-jim-dev', 'myapp-kim-dev', 'myapp-staging', 'myapp'];

type PolicyInForce = { at: number; approvals: number; users: string[]; groups: string[]; selfApproval: boolean };

let s: Awaited<ReturnType<typeof startSlackHarness>>;
/** How many releases the seed's own history holds per downstream: only those made after are the bot's. */
const seeded = new Map<string, number>();
beforeAll(async () => {
  s = await startSlackHarness('interleave');
  for (const app of ['myapp', 'myapp-staging']) seeded.set(app, s.h.releasesOf(app).length);
  // Every deploy is heard at once, as with Heroku's app webhooks.
  await s.h.control.webhook(s.webhookUrl, WEBHOOK_SECRET);
}, 60_000);
afterAll(() => s?.stop());

/** mulberry32: small, seeded, good enough to pick actions. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  return { next, pick, int: (n: number) => Math.floor(next() * n) };
}

describe('random interleavings of requests, approvals, policy changes, link changes and deploys', () => {
  it(`keep every card true (${RUNS} runs of ${STEPS} steps)`, async () => {
    const policies = new Map<string, PolicyInForce[]>();
    const linked = new Set(LINKS.map(([up]) => up));
    const replies: string[] = [];
    let changes = 0;

    const command = async (text: string, userId: string) => {
      const sent = await s.slack.command(text, userId);
      const reply = await waitFor(`the answer to ${text}`, () => s.fake.responsesTo(sent.id)[0] as { text: string });
      replies.push(`${text} (${userId}) → ${reply.text}`);
      return reply.text;
    };
    const setPolicy = async (app: string, r: ReturnType<typeof random>) => {
      const [approvals, approvers, self] = [r.int(3), r.pick(APPROVERS), r.pick(['on', 'off'])];
      // In force from when it is sent: a relaxed policy lets waiting requests run before the reply comes.
      const at = Date.now();
      await command(`policy ${app} approvals=${approvals} approvers=${approvers} self-approval=${self}`, 'U0ANA');
      const p = await s.h.deps.stores.apps.get('T0ACME', app);
      const list = policies.get(app) ?? [];
      list.push({ at, approvals, ...p.policy.approvers, selfApproval: p.policy.selfApproval });
      policies.set(app, list);
    };
    const openWithCard = async () => {
      const open = await s.h.deps.stores.promotions.ofTeam('T0ACME', { states: ['pending_approval'], limit: 100 });
      const places = await s.cards.places.ofMany(open.map((p) => p.id));
      return open.flatMap((p) => {
        const place = places.get(p.id);
        return place ? [{ p, card: { channel: place.channelId, ts: place.ts } }] : [];
      });
    };

    const action = async (r: ReturnType<typeof random>) => {
      const kind = r.pick(['deploy', 'diff', 'promote', 'approve', 'approve', 'reject', 'link']);
      const user = r.pick(USERS);
      if (kind === 'deploy') return s.h.control.deploy(r.pick(DEPLOYABLE), `Change ${++changes}`);
      if (kind === 'diff' || kind === 'promote') return command(`${kind} ${r.pick(LINKS)[0]}`, user);
      if (kind === 'link') {
        const [up, down] = r.pick(LINKS);
        const text = linked.has(up) ? `remove ${up}` : `add ${up} ${down}`;
        if (linked.has(up)) linked.delete(up);
        else linked.add(up);
        return command(text, user);
      }
      const open = await openWithCard();
      if (open.length === 0) return;
      const { p, card } = r.pick(open);
      if (kind === 'approve') return s.slack.click('promotion.approve', p.id, user, card);
      return s.slack.submitView('promotion.reject_reason', p.id, { reason: { reason: { value: 'not now' } } }, user);
    };

    for (const app of ['myapp', 'myapp-staging']) await setPolicy(app, random(SEED));
    for (let run = 0; run < RUNS; run++) {
      const r = random(SEED + run);
      for (let step = 0; step < STEPS; step++) {
        const where = `seed ${SEED + run}, step ${step}`;
        if (r.next() < 0.12) {
          // A policy change stands alone, so "the policy in force" at any moment is well defined.
          await settled(where);
          await setPolicy(r.pick(['myapp', 'myapp-staging']), r);
        } else {
          await Promise.all(Array.from({ length: 1 + r.int(3) }, () => action(r)));
        }
        await settled(where);
        // Webhooks arrive on their own time: what is untrue must become true, or it is a finding.
        const found = await waitFor(
          `the truth (${where})`,
          async () => ((await untruths(policies)).length ? undefined : []),
          5_000,
        ).catch(() => untruths(policies));
        expect(found, where).toEqual([]);
      }
    }
    expect(replies.filter((t) => /went wrong/i.test(t))).toEqual([]);
  }, 240_000);
});

/** Waits until nothing is approved or running, and every card shows its request as stored; else says what is not. */
async function settled(where: string) {
  const unsettled = async () => {
    const all = await s.h.deps.stores.promotions.ofTeam('T0ACME', { limit: 1000 });
    const busy = all.filter((p) => p.state === 'approved' || p.state === 'running');
    return [...busy.map((p) => `${p.id} is still ${p.state}`), ...(await cardsOutOfStep(all))];
  };
  const left = await waitFor(
    `things to settle (${where})`,
    async () => ((await unsettled()).length ? undefined : []),
    20_000,
  ).catch(unsettled);
  expect(left, `settling at ${where}`).toEqual([]);
}

const MARK: Record<Promotion['state'], string> = {
  pending_approval: ':hourglass_flowing_sand:',
  approved: ':rocket:',
  running: ':rocket:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  rejected: ':no_entry:',
  expired: ':clock3:',
  cancelled: ':leftwards_arrow_with_hook:',
  superseded: ':fast_forward:',
};

/** The card as the channel sees it now: its last update, else as posted. */
function lastRender(ts: string): string {
  const updates = s.fake.callsTo('chat.update').filter((c) => c.params.ts === ts);
  const posted = s.fake.callsTo('chat.postMessage').find((c) => c.answer?.ts === ts);
  return JSON.stringify((updates.at(-1) ?? posted)?.params.blocks ?? []);
}

async function cardsOutOfStep(all: Promotion[]): Promise<string[]> {
  const places = await s.cards.places.ofMany(all.map((p) => p.id));
  return all.flatMap((p) => {
    const place = places.get(p.id);
    if (!place) return [];
    const card = lastRender(place.ts);
    if (card.includes(MARK[p.state])) return [];
    const shown = Object.entries(MARK).find(([, mark]) => card.includes(mark))?.[0];
    return [`${p.id} is ${p.state} (rev ${p.rev}) but its card shows ${shown ?? 'nothing'}`];
  });
}

async function untruths(policies: Map<string, PolicyInForce[]>): Promise<string[]> {
  const all = await s.h.deps.stores.promotions.ofTeam('T0ACME', { limit: 1000 });
  const places = await s.cards.places.ofMany(all.map((p) => p.id));
  const problems: string[] = [];
  const current = new Map<string, string | null>();
  for (const app of new Set(all.map((p) => p.downstream))) current.set(app, s.h.releasesOf(app).at(-1)?.slugId ?? null);
  const links = await s.h.deps.stores.couplings.links('T0ACME');
  const openChanges = new Set<string>();

  for (const p of all) {
    const place = places.get(p.id);
    const card = place ? lastRender(place.ts) : '';
    const live = card.includes('promotion.approve');
    if (live) {
      // A live card is the one open request for its change, and Approve would still do what it shows.
      if (p.state !== 'pending_approval') problems.push(`${p.id}: live card, but the request is ${p.state}`);
      if (current.get(p.downstream) !== p.downstreamAtRequest.slugId)
        problems.push(`${p.id}: live card, but ${p.downstream} has moved`);
      if (!links.some((l) => l.app === p.upstream && l.downstream === p.downstream))
        problems.push(`${p.id}: live card, but ${p.upstream} ---> ${p.downstream} is gone`);
      const change = `${p.upstream}|${p.source.id}|${p.downstream}|${p.downstreamAtRequest.slugId}`;
      if (openChanges.has(change)) problems.push(`${p.id}: a second live card for the same change`);
      openChanges.add(change);
    }
    const ours = s.h.releasesOf(p.downstream).filter((r) => r.description === promotionDescription(p));
    if (p.state === 'succeeded') {
      const made = ours.find((r) => r.version === p.result?.version);
      if (!made || made.slugId !== p.source.slugId)
        problems.push(`${p.id}: done, v${p.result?.version}, but no such release`);
      problems.push(...unapproved(p, policies, await runningAt(p)));
    } else if (isTerminal(p.state) && ours.some((r) => r.createdAt.getTime() >= p.createdAt.getTime())) {
      // Another request for the same build may have made it; only a release after this one's start is suspect.
      const others = all.filter(
        (o) => o !== p && o.state === 'succeeded' && promotionDescription(o) === promotionDescription(p),
      );
      if (others.length === 0) problems.push(`${p.id}: says ${p.state}, but its release was made`);
    }
  }
  // Every promotion release was made by exactly one request that says done (none twice, none unrecorded).
  const ours = [...seeded].flatMap(([app, n]) =>
    s.h
      .releasesOf(app)
      .slice(n)
      .filter((r) => r.description.startsWith('Promote ')),
  ).length;
  const done = all.filter((p) => p.state === 'succeeded').length;
  if (ours !== done) problems.push(`${ours} promotion releases made, ${done} requests say done`);
  return problems;
}

async function runningAt(p: Promotion): Promise<number> {
  const { events } = await s.h.deps.stores.audit.list('T0ACME', p.downstream, { limit: 500 });
  const started = events.find((e) => e.promotionId === p.id && e.action === 'promotion.running');
  return started?.at.getTime() ?? p.updatedAt.getTime();
}

/** The approvals that made it run satisfy the policy in force when it started. */
function unapproved(p: Promotion, policies: Map<string, PolicyInForce[]>, at: number): string[] {
  const policy = (policies.get(p.downstream) ?? []).filter((x) => x.at <= at).at(-1);
  if (!policy) return [];
  const allowed = (userId: string) =>
    (policy.users.length === 0 && policy.groups.length === 0) ||
    policy.users.includes(userId) ||
    policy.groups.some((g) => GROUP[g as keyof typeof GROUP]?.includes(userId));
  const counted = p.approvals.filter((a) => allowed(a.userId) && (policy.selfApproval || a.userId !== p.requestedBy));
  const needed = policy.approvals === 0 ? (p.confirm ? 1 : 0) : policy.approvals;
  const clicks = policy.approvals === 0 ? p.approvals.length : counted.length;
  return clicks >= needed ? [] : [`${p.id}: ran with ${clicks} of the ${needed} approvals the policy in force needs`];
}
