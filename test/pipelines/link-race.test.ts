import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDeps } from '../support/test-deps.js';

type Reply = { id: string; ok: boolean; error?: string };
type Racer = {
  child: ChildProcess;
  send(command: object): void;
  replies: Map<string, Reply>;
  exited: Promise<unknown>;
};

const ROUNDS = 40;
let t: Awaited<ReturnType<typeof startTestDeps>>;
let racers: Racer[] = [];
let unleashed: Racer[] = [];

/** Starts a separate Node process with its own MongoDB client, waiting for commands. */
async function startRacer(env: Record<string, string>): Promise<Racer> {
  const script = fileURLToPath(new URL('../support/link-racer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = new Map<string, Reply>();
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve) =>
    lines.on('line', (line) => {
      if (line === 'ready') return resolve();
      const reply = JSON.parse(line) as Reply;
      replies.set(reply.id, reply);
    }),
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, replies, exited, send: (command) => child.stdin?.write(`${JSON.stringify(command)}\n`) };
}

async function reply(racer: Racer, id: string): Promise<Reply> {
  for (let i = 0; i < 400 && !racer.replies.has(id); i++) await new Promise((r) => setTimeout(r, 25));
  const found = racer.replies.get(id);
  if (!found) throw new Error(`no reply to command ${id}`);
  return found;
}

beforeAll(async () => {
  t = await startTestDeps('linkrace');
  const env = {
    SLACK_SIGNING_SECRET: 's',
    SLACK_BOT_TOKEN: 'xoxb-race',
    REDIS_URL: t.env.redisUrl,
    MONGO_URL: t.env.mongoUrl,
    PLATFORM: 'heroku',
    HEROKU_API_KEY: 'test-key',
    // Nothing listens there: tests that need a platform pass the simulator's ports instead.
    HEROKU_API_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'silent',
  };
  racers = await Promise.all([startRacer(env), startRacer(env)]);
  const off = { ...env, LINK_RACER_LEASE: 'off' };
  unleashed = await Promise.all([startRacer(off), startRacer(off)]);
}, 60_000);
afterAll(async () => {
  for (const racer of [...racers, ...unleashed]) racer.child.stdin?.end();
  await Promise.all([...racers, ...unleashed].map((racer) => racer.exited));
  await t.stop();
});

/** Each round, both processes try their link at the same instant on a fresh team. */
async function race(name: string, links: [[string, string], [string, string]], pair = racers) {
  const outcomes: { winners: number; errors: string[]; stored: number; audited: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const teamId = `T-${name}-${round}`;
    const id = teamId;
    const at = Date.now() + 30;
    links.forEach(([upstream, downstream], i) => {
      pair[i]?.send({ id, teamId, upstream, downstream, at });
    });
    const replies = await Promise.all(pair.map((racer) => reply(racer, id)));
    outcomes.push({
      winners: replies.filter((r) => r.ok).length,
      errors: replies.flatMap((r) => r.error ?? []),
      stored: await t.deps.db.collection('couplings').countDocuments({ teamId }),
      audited: await t.deps.db.collection('audit').countDocuments({ teamId }),
    });
  }
  return outcomes;
}

describe('two processes adding conflicting links at the same moment', () => {
  it(`a ---> b against b ---> a: exactly one wins, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const outcomes = await race('cycle', [
      ['aaa', 'bbb'],
      ['bbb', 'aaa'],
    ]);
    for (const outcome of outcomes) {
      expect(outcome).toEqual({ winners: 1, errors: [expect.any(String)], stored: 1, audited: 1 });
      expect(outcome.errors[0]).toMatch(
        /^RefusedError: .*it would close a cycle: (aaa ---> bbb ---> aaa|bbb ---> aaa ---> bbb)/,
      );
    }
  });

  it(`a ---> b against a ---> c: exactly one downstream, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const outcomes = await race('fork', [
      ['aaa', 'bbb'],
      ['aaa', 'ccc'],
    ]);
    for (const outcome of outcomes) {
      expect(outcome).toEqual({ winners: 1, errors: [expect.any(String)], stored: 1, audited: 1 });
      expect(outcome.errors[0]).toMatch(/^RefusedError: aaa already promotes to (bbb|ccc)/);
    }
  });

  // Without the lease the processes really do interleave; what remains must still keep the graph sound.
  it('without the team lease, the unique index and the re-check still never let both through', async () => {
    const cycle = await race(
      'cycle-unleashed',
      [
        ['aaa', 'bbb'],
        ['bbb', 'aaa'],
      ],
      unleashed,
    );
    for (const outcome of cycle) {
      expect(outcome.winners).toBeLessThanOrEqual(1);
      expect(outcome.stored).toBe(outcome.winners);
      expect(outcome.audited).toBe(outcome.winners);
      for (const error of outcome.errors) expect(error).toMatch(/^RefusedError: .*it would close a cycle/);
    }
    const fork = await race(
      'fork-unleashed',
      [
        ['aaa', 'bbb'],
        ['aaa', 'ccc'],
      ],
      unleashed,
    );
    for (const outcome of fork) {
      expect(outcome).toEqual({ winners: 1, errors: [expect.any(String)], stored: 1, audited: 1 });
      expect(outcome.errors[0]).toMatch(/^RefusedError: aaa already promotes to (bbb|ccc)/);
    }
  });
});
