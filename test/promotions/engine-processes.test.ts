import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/local-services/wait-for.js';
import type { Promotion } from '../../src/promotions/promotion.js';
import { type Harness, SIM_TOKEN, startHarness } from '../support/promotion-harness.js';

type WorkerProcess = { child: ChildProcess; ran: string[]; exited: Promise<unknown> };

let h: Harness;
const processes: WorkerProcess[] = [];

/** A promotion worker in its own Node process, on the same Redis, MongoDB and simulator as the test. */
async function startWorkerProcess(): Promise<WorkerProcess> {
  const script = fileURLToPath(new URL('../support/engine-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 'xoxb-worker',
      REDIS_URL: h.env.redisUrl,
      MONGO_URL: h.env.mongoUrl,
      PLATFORM: 'heroku',
      HEROKU_API_URL: h.sim.url,
      HEROKU_API_KEY: SIM_TOKEN,
      GITHUB_API_URL: `${h.sim.url}/github`,
      LOG_LEVEL: 'silent',
      QUEUE_PREFIX: h.env.queuePrefix,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const worker: WorkerProcess = { child, ran: [], exited: new Promise((resolve) => child.once('exit', resolve)) };
  processes.push(worker);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve) =>
    lines.on('line', (line) => {
      if (line === 'ready') resolve();
      else if (line.startsWith('ran ')) worker.ran.push(line.slice(4));
    }),
  );
  return worker;
}

const settle = (p: Promotion) => h.settle(p);

beforeAll(async () => {
  h = await startHarness('engineproc', { realTime: true });
}, 60_000);
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  await h.stop();
});

describe('promotion workers in separate processes', () => {
  it('never run two promotions into one app at once: 20 requests for 5 apps on 2 worker processes', async () => {
    const ana = h.actor('U0ANA');
    const requests: { upstream: string; downstream: string }[] = [];
    for (let app = 1; app <= 5; app++) {
      await h.control.addApp(`prod-${app}`);
      for (let feed = 1; feed <= 4; feed++) {
        const upstream = `feed-${app}-${feed}`;
        await h.control.addApp(upstream);
        await h.control.deploy(upstream, `work on ${upstream}`);
        await h.deps.pipelines.addLink(ana, upstream, `prod-${app}`);
        requests.push({ upstream, downstream: `prod-${app}` });
      }
    }
    const workers = [await startWorkerProcess(), await startWorkerProcess()];
    let sampling = true;
    let samples = 0;
    let worst = 0;
    const sampler = (async () => {
      while (sampling) {
        const running = await h.deps.db
          .collection('promotions')
          .aggregate([{ $match: { state: 'running' } }, { $group: { _id: '$downstream', n: { $sum: 1 } } }])
          .toArray();
        worst = Math.max(worst, ...running.map((r) => r.n as number), 0);
        samples++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const made = await Promise.all(
      requests.map((r, i) =>
        h.deps.promotionService.requestPromotion(ana, { upstream: r.upstream, requestKey: `fan-${i}` }),
      ),
    );
    const done = await Promise.all(made.map((p) => settle(p)));
    sampling = false;
    await sampler;

    expect(samples).toBeGreaterThan(20);
    expect(worst).toBe(1);
    // Each app takes the first request; the other three saw their app move after they were made.
    for (let app = 1; app <= 5; app++) {
      const mine = done.filter((p) => p.downstream === `prod-${app}`);
      const succeeded = mine.filter((p) => p.state === 'succeeded');
      expect(mine.map((p) => p.state).sort()).toEqual(['succeeded', 'superseded', 'superseded', 'superseded']);
      expect(h.releasesOf(`prod-${app}`)).toHaveLength(1 + succeeded.length);
    }
    expect(workers.every((w) => w.ran.length > 0)).toBe(true);
  });

  it('recovers a job whose worker was killed after the platform call, without a second release', async () => {
    for (const p of processes.splice(0)) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    await h.deps.appSettings.policy(h.actor('U0ANA'), 'myapp', ['approvals=0']);
    // The platform makes the release, then answers only after the worker is dead.
    await h.control.fault({ method: 'POST', path: '/apps/myapp/releases', holdResponseMs: 20_000, times: 1 });
    const doomed = await startWorkerProcess();
    const before = h.releasesOf('myapp').length;
    const p = await h.deps.promotionService.requestPromotion(h.actor('U0ANA'), {
      upstream: 'myapp-staging',
      requestKey: 'kill-me',
    });
    await waitFor('the platform to make the release', () => (h.releasesOf('myapp').length > before ? true : undefined));
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect((await h.deps.promotionService.get(p.teamId, p.id)).state).toBe('running');

    const rescuer = await startWorkerProcess();
    const done = await settle(p);
    expect(done).toMatchObject({ state: 'succeeded', result: { version: before + 1 } });
    expect(h.releasesOf('myapp')).toHaveLength(before + 1);
    // The request is recorded before the job is marked done: wait for the rescuer to report it.
    await waitFor('the rescuer to finish the job', () => (rescuer.ran.includes(p.id) ? true : undefined));
  });
});
