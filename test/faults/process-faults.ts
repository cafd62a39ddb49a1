import { isRunning } from '../../src/local-services/is-running.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { isTerminal } from '../../src/promotions/promotion.js';
import { type FaultDeps, pause } from './fault-deps.js';
import type { MongoRestart, WorkerKill } from './fault-ledger.js';

const RELEASE_WRITE = /^\/apps\/(prod-\d+)\/releases$/;
const FIND_TARGET_MS = 30_000;
/** Past this, a crashed worker's promotion is reported as not completed. */
const RECOVERY_WATCH_MS = 180_000;

/**
 * SIGKILLs a worker that holds a promotion, then starts it again as a supervisor would. `held-answer`: the
 * platform makes the release but holds its answer, and the worker dies waiting for it (after the call, before
 * the record). `random-point`: whichever worker is running a promotion dies wherever it is.
 */
export async function killWorker(deps: FaultDeps): Promise<void> {
  const variant = deps.random.pick(['held-answer', 'random-point'] as const);
  if (variant === 'held-answer') {
    await deps.sim.fault({ method: 'POST', path: RELEASE_WRITE.source, holdResponseMs: 8_000, times: 1 });
  }
  const target = await waitFor(
    variant === 'held-answer' ? 'a worker waiting for a release it made' : 'a worker running a promotion',
    () => (variant === 'held-answer' ? workerInWrite(deps) : workerRunning(deps)),
    FIND_TARGET_MS,
  ).catch(() => undefined);
  const worker = deps.workers.find((w) => w.name === target?.worker) ?? deps.random.pick(deps.workers);
  const promotion = target ? await runningInto(deps, target.downstream) : null;
  const kill: WorkerKill = {
    worker: worker.name,
    variant,
    at: Date.now(),
    ...(promotion ? { promotionId: promotion._id } : {}),
    ...(target ? { downstream: target.downstream } : {}),
  };
  await worker.crash();
  deps.ledger.kills.push(kill);
  if (!target)
    deps.ledger.notes.push(`worker kill (${variant}): no promotion in flight was found; killed ${worker.name}`);
  if (variant === 'held-answer') await deps.sim.clearFaults();
  await pause(deps.random.int(1_000, 3_000));
  await worker.start();
  if (promotion) {
    deps.measuring.push(
      deps.watch
        .until(promotion._id, (p) => isTerminal(p.state), RECOVERY_WATCH_MS)
        .then((p) => {
          if (p && isTerminal(p.state)) {
            kill.endedAt = Date.now();
            kill.endState = p.state;
          }
        }),
    );
  }
}

/** The promotion running into `downstream` (one at most, if the invariant holds). */
function runningInto(deps: FaultDeps, downstream: string) {
  return deps.db
    .collection<{ _id: string }>('promotions')
    .findOne({ downstream, state: 'running' }, { projection: { _id: 1 } })
    .catch(() => null);
}

function workerInWrite(deps: FaultDeps) {
  for (const proxy of deps.workerProxies) {
    const call = proxy.inFlight().find((c) => c.method === 'POST' && RELEASE_WRITE.test(c.path));
    const downstream = call && RELEASE_WRITE.exec(call.path)?.[1];
    if (downstream) return { worker: proxy.caller, downstream };
  }
  return undefined;
}

/** The worker that last called the platform about an app a promotion is running into is the one running it. */
async function workerRunning(deps: FaultDeps) {
  const running = await deps.db
    .collection<{ downstream: string }>('promotions')
    .findOne({ state: 'running' }, { projection: { downstream: 1 } });
  if (!running) return undefined;
  const since = Date.now() - 5_000;
  const calls = deps.workerProxies
    .flatMap((p) => p.callsSince(since))
    .filter((c) => c.path.startsWith(`/apps/${running.downstream}/`))
    .sort((a, b) => a.startedAt - b.startedAt);
  const last = calls.at(-1);
  return last ? { worker: last.caller, downstream: running.downstream } : undefined;
}

/** Redis stopped cleanly (SHUTDOWN, AOF flushed) for longer than BullMQ's drainDelay and more, then started. */
export async function stopRedis(deps: FaultDeps): Promise<void> {
  const downAt = Date.now();
  await deps.redis.stop();
  await pause(deps.random.int(11_000, 14_000));
  await deps.redis.start();
  measureResume(deps, { kind: 'stop', downAt, backAt: Date.now() });
}

/** Redis killed (no shutdown at all), then started on the same port with the same AOF. */
export async function crashRedis(deps: FaultDeps): Promise<void> {
  const pid = deps.redis.pid();
  const downAt = Date.now();
  if (pid !== undefined) {
    process.kill(pid, 'SIGKILL');
    await waitFor(`redis-server (pid ${pid}) to be gone`, () => (isRunning(pid) ? undefined : true));
  }
  await pause(deps.random.int(1_000, 3_000));
  await deps.redis.start();
  measureResume(deps, { kind: 'crash', downAt, backAt: Date.now() });
}

/** FerretDB stopped and started again on its data (its SQLite files). */
export async function restartMongo(deps: FaultDeps): Promise<void> {
  const downAt = Date.now();
  await deps.ferret.stop();
  await pause(deps.random.int(2_000, 5_000));
  await deps.ferret.start();
  const record: MongoRestart = { downAt, backAt: Date.now() };
  deps.ledger.mongoRestarts.push(record);
  // Not invariants of their own, but what tells a store outage the bot never got over from a slow one.
  deps.measuring.push(
    waitFor(
      'the web role to be ready again',
      async () => ((await fetch(`${deps.webUrl}/readyz`)).ok ? Date.now() : undefined),
      RECOVERY_WATCH_MS,
    )
      .then((at) => {
        record.webReadyAt = at;
      })
      .catch(() => {}),
    waitFor(
      'a request stored after FerretDB came back',
      async () => {
        const first = await deps.db
          .collection<{ createdAt: Date }>('promotions')
          .findOne({ createdAt: { $gt: new Date(record.backAt) } }, { projection: { createdAt: 1 } });
        return first ? Date.now() : undefined;
      },
      RECOVERY_WATCH_MS,
    )
      .then((at) => {
        record.firstRequestAt = at;
      })
      .catch(() => {}),
  );
}

/** When did the first promotion succeed after Redis was back? (Audited transitions carry their time.) */
function measureResume(deps: FaultDeps, outage: { kind: 'stop' | 'crash'; downAt: number; backAt: number }): void {
  const record = { ...outage } as FaultDeps['ledger']['redisOutages'][number];
  deps.ledger.redisOutages.push(record);
  const audit = deps.db.collection<{ action: string; at: Date }>('audit');
  deps.measuring.push(
    waitFor(
      'a promotion to succeed after Redis came back',
      async () => {
        const first = await audit.findOne(
          { action: 'promotion.succeeded', at: { $gt: new Date(outage.backAt) } },
          { sort: { at: 1 } },
        );
        return first ? first.at.getTime() : undefined;
      },
      RECOVERY_WATCH_MS,
    )
      .then((at) => {
        record.firstSuccessAt = at;
      })
      .catch(() => {}),
  );
}
