// The fault run (`npm run test:faults`): the real program as three processes against throwaway Redis and FerretDB,
// the platform simulator and a fake Slack, driven through signed Slack requests while a seeded schedule breaks
// things; at the end, the invariants. See test/faults/README.md.
import { join } from 'node:path';
import { waitFor } from '../../src/local-services/wait-for.js';
import { simControl } from '../support/sim-control.js';
import { auditPerTransition } from './audit-per-transition.js';
import { cardDisagreements, duplicateCards } from './card-disagreements.js';
import { createCardIndex } from './card-index.js';
import { type DriveDeps, driveApp } from './drive-app.js';
import { duplicateReleases } from './duplicate-releases.js';
import { type FaultDeps, pause } from './fault-deps.js';
import { createFaultLedger } from './fault-ledger.js';
import { parseFaultOptions } from './fault-options.js';
import { reportLines, writeFaultJson } from './fault-report.js';
import { type FinalState, readFinalState } from './final-state.js';
import { forgedRequests } from './forged-requests.js';
import type { Invariant } from './invariant.js';
import { lateWritesSupported } from './late-write-support.js';
import { lostApprovals } from './lost-approvals.js';
import { createPromotionWatch } from './promotion-watch.js';
import { crashedWorkerPromotion, resumeAfterRedis } from './recovery-times.js';
import { withTrails } from './request-trail.js';
import { planFaults, runFaultSchedule } from './run-fault-schedule.js';
import { runTotals } from './run-totals.js';
import { runningOverlap } from './running-overlap.js';
import { startRunningSampler } from './running-sampler.js';
import { secretsInLogs } from './secrets-in-logs.js';
import { seededRandom } from './seeded-random.js';
import { setUpApps } from './set-up-apps.js';
import { createSlackSender } from './slack-sender.js';
import { startFaultWorld } from './start-fault-world.js';
import { unauthorizedApprovals } from './unauthorized-approvals.js';

/** After the last fault (or the last approval), this long for every request and card to come to rest. */
const SETTLE_MS = 60_000;
const WARM_UP_APPROVALS = 10;
const PROGRESS_EVERY_MS = 15_000;

const started = Date.now();
const say = (line: string) =>
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

async function main(): Promise<number> {
  const options = parseFaultOptions(process.argv.slice(2));
  const { size, seed } = options;
  say(`fault run, size ${size.name}, seed ${seed} (replay it with --seed ${seed})`);
  const world = await startFaultWorld({ seed, workers: 2 });
  say(
    `Redis, FerretDB, the simulator, the fake Slack and the bot (web, worker-1, worker-2) are up; logs in ${world.logDir}`,
  );
  let failed = true;
  try {
    failed = await run(world, options);
  } finally {
    const keep = options.keep || failed;
    await world.stop(keep);
  }
  return failed ? 1 : 0;
}

async function run(world: Awaited<ReturnType<typeof startFaultWorld>>, options: ReturnType<typeof parseFaultOptions>) {
  const { size, seed } = options;
  const ledger = createFaultLedger();
  const sim = simControl(world.sim.url);
  const sender = createSlackSender({
    botUrl: () => world.webUrl,
    secret: world.secrets.signing,
    responseUrl: world.slack.responseUrl,
  });
  await setUpApps({ sim, sender, slack: world.slack }, size.apps);
  say(`${size.apps} pipelines set up through Slack (add, policy approvals=1)`);
  const late = await lateWritesSupported(world.sim, sim, world.secrets.apiKey);
  ledger.notes.push(`late writes ${late.supported ? 'injected' : 'skipped'}: ${late.why}`);
  say(`late writes (applyLateMs): ${late.supported ? 'supported' : 'not supported, skipped'}: ${late.why}`);

  const watch = createPromotionWatch(world.db);
  const cards = createCardIndex(world.slack);
  const sampler = startRunningSampler(world.db);
  const approved = new Set<string>();
  const openCards: DriveDeps['openCards'] = new Map();
  let faultsDone = false;
  const trafficDeadline = Date.now() + size.maxTrafficMs;
  const stopping = () => (faultsDone && approved.size >= size.approvals) || Date.now() > trafficDeadline;
  // Each pipeline's traffic and the schedule draw from their own streams of the seed, so a replay makes the same
  // choices whatever the timing.
  const drivers = Array.from({ length: size.apps }, (_, i) =>
    driveApp(
      {
        sim,
        sender,
        watch,
        cards,
        random: seededRandom((seed + (i + 1) * 0x9e3779b9) >>> 0),
        ledger,
        openCards,
        approved,
        stopping,
      },
      i + 1,
    ).catch((err: Error) => ledger.notes.push(`the traffic of pipeline ${i + 1} stopped: ${err.message}`)),
  );
  const progress = setInterval(() => {
    const read = watch.stats();
    const misses = [
      'command stored no request',
      'request without a card in time',
      'approve clicked again (nothing came of a click)',
    ]
      .map((kind) => ledger.counts.get(kind) ?? 0)
      .join('/');
    say(
      `${approved.size}/${size.approvals} approved, ${openCards.size} cards waiting for a click; ` +
        `no request/no card/click again ${misses}; store reads failed ${read.failures}/${read.polls}` +
        (read.failures ? ` (last: ${read.lastError})` : ''),
    );
  }, PROGRESS_EVERY_MS);

  const random = seededRandom(seed);
  const plan = planFaults(size, random);
  const faultDeps: FaultDeps = {
    redis: world.redis,
    ferret: world.ferret,
    workers: world.workers,
    workerProxies: world.workers.flatMap((w) => world.proxyOf(w.name) ?? []),
    simulator: world.sim,
    sim,
    sender,
    webUrl: world.webUrl,
    db: world.db,
    watch,
    random,
    ledger,
    openCards,
    apps: size.apps,
    lateWrites: late.supported,
    measuring: [],
  };
  await waitFor(
    'the first approvals',
    () => (approved.size >= Math.min(WARM_UP_APPROVALS, size.approvals) ? true : undefined),
    120_000,
  );
  say(`traffic runs; ${plan.length} faults to inject: ${plan.map((f) => f.kind).join(', ')}`);
  await runFaultSchedule(faultDeps, plan, say);
  faultsDone = true;
  say('last fault over; the traffic goes on until the target');
  await Promise.all(drivers);
  clearInterval(progress);
  const settleBy = Math.max(ledger.lastFaultEnd, Date.now()) + SETTLE_MS;
  say(`traffic stopped at ${approved.size} approved; waiting up to ${SETTLE_MS / 1000} s for everything to settle`);
  const state = await settle(world, size.apps, approved, cards, settleBy);
  const sampled = await sampler.stop();
  const reads = watch.stats();
  if (reads.failures)
    ledger.notes.push(
      `the run's own store reads failed ${reads.failures} of ${reads.polls} times (last: ${reads.lastError})`,
    );
  watch.stop();

  const answerTo = (responseId: string) => {
    const body = world.slack.responsesTo(responseId)[0];
    return body ? String(body.text ?? '') : undefined;
  };
  const invariants: Invariant[] = [
    duplicateReleases(state),
    lostApprovals(state, approved),
    unauthorizedApprovals(state, ledger.refused, answerTo),
    forgedRequests(state, ledger.forged, (id) => answerTo(id) !== undefined),
    cardDisagreements(state, cards),
    duplicateCards(cards),
    auditPerTransition(state),
    maxRunning(sampled, runningOverlap(state)),
    resumeAfterRedis(ledger),
    crashedWorkerPromotion(ledger),
    await secretsInLogs(
      world.bots.flatMap((b) => b.logFiles()),
      world.secrets,
    ),
    {
      name: 'approved promotions',
      value: `${approved.size} (target ${size.approvals}, over ${size.apps} downstream apps)`,
      ok: approved.size >= size.approvals,
      evidence: approved.size >= size.approvals ? [] : [`the traffic stopped after ${size.maxTrafficMs / 60_000} min`],
    },
  ];
  const explained = invariants.map((i) => withTrails(i, state, world.slack, ledger));
  const failed = explained.some((i) => !i.ok);
  const report = {
    size,
    seed,
    wallSeconds: (Date.now() - started) / 1000,
    invariants: explained,
    ledger,
    totals: runTotals(state, world, cards, approved, sampled, ledger, answerTo),
    ...(options.keep || failed ? { kept: world.folder } : {}),
  };
  for (const line of reportLines(report)) process.stdout.write(`${line}\n`);
  writeFaultJson(options.jsonPath ?? join(world.folder, 'faults.json'), report);
  return failed;
}

/** From the 200 ms samples of the store and, exactly, from the audit trail: whichever saw more at once. */
function maxRunning(
  sampled: Awaited<ReturnType<ReturnType<typeof startRunningSampler>['stop']>>,
  audited: ReturnType<typeof runningOverlap>,
): Invariant {
  const max = Math.max(sampled.max, audited.max);
  const evidence = [
    `sampled ${sampled.max} at most in ${sampled.samples} samples; the audit trail shows ${audited.max}`,
    ...(sampled.max > 1 && sampled.worst
      ? sampled.worst.ids.map(
          (id) =>
            `${id} sampled running into ${sampled.worst?.downstream} at ${new Date(sampled.worst?.at ?? 0).toISOString()}`,
        )
      : []),
    ...(audited.max > 1 && audited.worst
      ? audited.worst.ids.map(
          (id) =>
            `${id} running into ${audited.worst?.downstream} (audit) together from ${new Date(audited.worst?.from ?? 0).toISOString()} to ${new Date(audited.worst?.to ?? 0).toISOString()}`,
        )
      : []),
  ];
  return {
    name: 'max running promotions per app',
    value: String(max),
    ok: max <= 1 && sampled.samples > 0,
    evidence,
  };
}

/**
 * Waits until no approved request is left unfinished and every card agrees with its request, or until `by`;
 * returns the state then (the invariants are judged on it).
 */
async function settle(
  world: Awaited<ReturnType<typeof startFaultWorld>>,
  apps: number,
  approved: ReadonlySet<string>,
  cards: ReturnType<typeof createCardIndex>,
  by: number,
): Promise<FinalState> {
  for (;;) {
    const state = await readFinalState(world.db, world.sim, apps).catch(() => undefined);
    const rested =
      state &&
      !state.promotions.some((p) => p.state === 'approved' || p.state === 'running') &&
      lostApprovals(state, approved).ok &&
      cardDisagreements(state, cards).ok;
    if (state && (rested || Date.now() > by)) return state;
    if (!state && Date.now() > by) return readFinalState(world.db, world.sim, apps);
    await pause(1_000);
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`fault run failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
