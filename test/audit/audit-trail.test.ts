import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { readHistory } from '../../src/audit/read-history.js';
import { InvalidInputError } from '../../src/errors.js';
import { ensureIndexes } from '../../src/mongo/ensure-indexes.js';
import { startTestDeps } from '../support/test-deps.js';

let t: Awaited<ReturnType<typeof startTestDeps>>;
beforeAll(async () => {
  t = await startTestDeps('audit');
});
afterAll(() => t.stop());

const ana: Actor = { teamId: 'T0ACME', userId: 'U0ANA' };
const history = (app: string, page?: { limit?: number; before?: string }) =>
  readHistory(t.deps.stores.audit, ana.teamId, app, page);

describe('the audit trail', () => {
  it('lists what happened to an app newest first, including links made from either end', async () => {
    await t.deps.pipelines.addLink(ana, 'myapp-staging', 'myapp');
    t.clock.advance(1_000);
    await t.deps.appSettings.lock(ana, 'myapp', 'release freeze');
    t.clock.advance(1_000);
    await t.deps.appSettings.policy(ana, 'myapp', ['approvals=1']);
    t.clock.advance(1_000);
    await t.deps.appSettings.lock(ana, 'myapp-staging', 'unrelated to myapp');

    const trail = await history('myapp');
    expect(trail.events.map((e) => e.action)).toEqual(['app.policy_set', 'app.locked', 'pipeline.link_added']);
    expect(trail.next).toBeUndefined();
    expect((await history('myapp-staging')).events.map((e) => e.action)).toEqual(['app.locked', 'pipeline.link_added']);
  });

  it('pages through events that share a timestamp without skipping or repeating any', async () => {
    // Twelve policy changes in the same millisecond: the cursor must break ties by id.
    for (let n = 1; n <= 6; n++) {
      await t.deps.appSettings.policy(ana, 'paged-app', [`approvals=${n}`]);
      await t.deps.appSettings.policy(ana, 'paged-app', [`rollback-approvals=${n}`]);
    }
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await history('paged-app', { limit: 5, before });
      seen.push(...page.events.map((e) => e.id));
      before = page.next;
      pages++;
    } while (before);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    const all = await history('paged-app', { limit: 50 });
    expect(all.events.map((e) => e.id)).toEqual(seen);
    // Newest first: the last change made is the first listed.
    expect(all.events[0]?.details).toEqual({ rollbackApprovals: { from: 5, to: 6 } });
  });

  it('refuses a bad page size or a forged page cursor', async () => {
    await expect(history('myapp', { limit: 0 })).rejects.toThrow(InvalidInputError);
    await expect(history('myapp', { limit: 51 })).rejects.toThrow('from 1 to 50');
    await expect(history('myapp', { before: '{"$gt":""}' })).rejects.toThrow(/not valid any more/);
  });

  it('shows another team nothing', async () => {
    expect((await readHistory(t.deps.stores.audit, 'T0RIVAL', 'myapp')).events).toEqual([]);
  });

  it('never rewrites an event: later changes only add new ones', async () => {
    const audit = t.deps.db.collection('audit');
    const before = await audit.find({}).sort({ _id: 1 }).toArray();
    await t.deps.appSettings.unlock(ana, 'myapp');
    await t.deps.pipelines.removeLink(ana, 'myapp-staging');
    await t.deps.appSettings.policy(ana, 'myapp', ['approvals=1']); // no change: no event
    const after = await audit.find({}).sort({ _id: 1 }).toArray();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e) => e.action)).toEqual(['app.unlocked', 'pipeline.link_removed']);
  });
});

describe('indexes', () => {
  it('are created idempotently, with the unique keys the invariants rely on', async () => {
    await ensureIndexes(t.deps.db);
    await ensureIndexes(t.deps.db);
    const unique = async (collection: string) =>
      (await t.deps.db.collection(collection).indexes()).filter((i) => i.unique).map((i) => i.key);
    expect(await unique('couplings')).toEqual([{ teamId: 1, app: 1 }]);
    expect(await unique('apps')).toEqual([{ teamId: 1, app: 1 }]);
    expect(await unique('channels')).toEqual([{ teamId: 1, channelId: 1 }]);
    const auditKeys = (await t.deps.db.collection('audit').indexes()).map((i) => i.key);
    expect(auditKeys).toContainEqual({ teamId: 1, app: 1, at: -1 });
  });
});
