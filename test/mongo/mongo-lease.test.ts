import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { RefusedError } from '../../src/errors.js';
import { createLeases } from '../../src/mongo/mongo-lease.js';
import { testEnv } from '../support/test-env.js';

const env = testEnv('lease');
const client = new MongoClient(env.mongoUrl);
afterAll(async () => {
  await env.cleanup();
  await client.close();
});

const BUSY = 'Busy; try again in a moment.';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MongoDB leases', () => {
  it("runs holders of one team's lease one at a time, and other teams side by side", async () => {
    const leases = createLeases(client.db());
    const log: string[] = [];
    const hold = (teamId: string, name: string) =>
      leases.withLease(teamId, 'pipeline-graph', BUSY, async () => {
        log.push(`${name} in`);
        await sleep(50);
        log.push(`${name} out`);
      });
    await Promise.all([hold('T1', 'a'), hold('T1', 'b'), hold('T2', 'c')]);
    const sameKey = log.filter((line) => !line.startsWith('c'));
    const [first, second] = [sameKey[0]?.[0], sameKey[2]?.[0]];
    // a and b never overlap: one is in and out before the other comes in.
    expect(sameKey).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    // c, on another key, did not wait for both of them.
    expect(log.indexOf('c in')).toBeLessThan(log.indexOf(`${second} in`));
  });

  it('releases the lease when the work throws', async () => {
    const leases = createLeases(client.db(), { waitMs: 200 });
    await expect(
      leases.withLease('T0', 'k-throw', BUSY, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await leases.withLease('T0', 'k-throw', BUSY, async () => 'free again')).toBe('free again');
  });

  it('takes over a lease whose holder died, once it expires', async () => {
    // What a killed process leaves behind: a lease nobody renews.
    const leases = client.db().collection('leases');
    await leases.insertOne({
      _id: 'T0:k-dead' as never,
      teamId: 'T0',
      name: 'k-dead',
      holder: 'dead',
      until: new Date(Date.now() + 150),
    });
    const started = Date.now();
    const alive = createLeases(client.db(), { waitMs: 2_000 });
    expect(await alive.withLease('T0', 'k-dead', BUSY, async () => 'taken over')).toBe('taken over');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('is not dead forever when whoever took over a dead holder died before replacing it', async () => {
    // Found by the fault run: the takeover claim was written, then MongoDB dropped the connection before the
    // lease was replaced; every later contender found the claim taken, and the app was blocked for good.
    const db = client.db();
    const past = new Date(Date.now() - 1_000);
    await db
      .collection('leases')
      .insertOne({ _id: 'T0:k-orphan' as never, teamId: 'T0', name: 'k-orphan', holder: 'dead', until: past });
    await db.collection('lease_takeovers').insertOne({ _id: 'T0:k-orphan:dead' as never, teamId: 'T0', at: past });
    const alive = createLeases(db, { ttlMs: 500, waitMs: 3_000 });
    expect(await alive.withLease('T0', 'k-orphan', BUSY, async () => 'taken over')).toBe('taken over');
  });

  it('lets exactly one of many contenders take over an expired lease', async () => {
    const leases = client.db().collection('leases');
    for (let round = 0; round < 10; round++) {
      const name = `k-expired-${round}`;
      await leases.insertOne({
        _id: `T0:${name}` as never,
        teamId: 'T0',
        name,
        holder: `dead-${round}`,
        until: new Date(0),
      });
      const contenders = Array.from({ length: 10 }, () => createLeases(client.db()).acquire('T0', name));
      const won = (await Promise.all(contenders)).filter((lease) => lease !== null);
      expect(won).toHaveLength(1);
      await won[0]?.release();
    }
  });

  it('keeps a lease alive while its holder works past the time to live', async () => {
    const leases = createLeases(client.db(), { ttlMs: 300 });
    const lease = await leases.acquire('T0', 'k-long');
    await sleep(1_000);
    expect(lease?.held()).toBe(true);
    expect(await leases.acquire('T0', 'k-long')).toBeNull();
    await lease?.release();
    expect(await leases.acquire('T0', 'k-long')).not.toBeNull();
  });

  it('gives up with a clear refusal when the holder keeps it past the wait', async () => {
    const slow = createLeases(client.db());
    let release = () => {};
    const held = slow.withLease('T0', 'k-busy', BUSY, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    const impatient = createLeases(client.db(), { waitMs: 100 });
    await expect(impatient.withLease('T0', 'k-busy', BUSY, async () => 'never')).rejects.toThrow(
      new RefusedError(BUSY),
    );
    release();
    await held;
  });

  it('records which team holds a lease', async () => {
    const leases = createLeases(client.db());
    const seen = await leases.withLease('T0ACME', 'pipeline-graph', BUSY, () =>
      client
        .db()
        .collection('leases')
        .findOne({ _id: 'T0ACME:pipeline-graph' as never }),
    );
    expect(seen).toMatchObject({ teamId: 'T0ACME', name: 'pipeline-graph' });
  });
});
