import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { RefusedError } from '../../src/errors.js';
import { createLeases } from '../../src/store/mongo-lease.js';
import { testEnv } from '../support/test-env.js';

const env = testEnv('lease');
const client = new MongoClient(env.mongoUrl);
afterAll(async () => {
  await env.cleanup();
  await client.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MongoDB leases', () => {
  it('runs holders of one key one at a time, and different keys side by side', async () => {
    const leases = createLeases(client.db());
    const log: string[] = [];
    const hold = (key: string, name: string) =>
      leases.withLease(key, async () => {
        log.push(`${name} in`);
        await sleep(50);
        log.push(`${name} out`);
      });
    await Promise.all([hold('graph:T1', 'a'), hold('graph:T1', 'b'), hold('graph:T2', 'c')]);
    const sameKey = log.filter((line) => !line.startsWith('c'));
    const [first, second] = [sameKey[0]?.[0], sameKey[2]?.[0]];
    // a and b never overlap: one is in and out before the other comes in.
    expect(sameKey).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    // c, on another key, did not wait for both of them.
    expect(log.indexOf('c in')).toBeLessThan(log.indexOf(`${second} in`));
  });

  it('releases the lease when the work throws', async () => {
    const leases = createLeases(client.db(), { waitMs: 200 });
    await expect(leases.withLease('k-throw', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await leases.withLease('k-throw', async () => 'free again')).toBe('free again');
  });

  it('takes over a lease whose holder died, once it expires', async () => {
    const dead = createLeases(client.db(), { ttlMs: 100 });
    // A holder that never finishes stands in for a process killed mid-change.
    void dead.withLease('k-dead', () => new Promise(() => {}));
    await sleep(20);
    const started = Date.now();
    const alive = createLeases(client.db(), { waitMs: 2_000 });
    expect(await alive.withLease('k-dead', async () => 'taken over')).toBe('taken over');
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('gives up with a clear refusal when the holder keeps it past the wait', async () => {
    const slow = createLeases(client.db());
    let release = () => {};
    const held = slow.withLease('k-busy', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    const impatient = createLeases(client.db(), { waitMs: 100 });
    await expect(impatient.withLease('k-busy', async () => 'never')).rejects.toThrow(
      new RefusedError('Another change to this pipeline is still in progress; try again in a moment.'),
    );
    release();
    await held;
  });
});
