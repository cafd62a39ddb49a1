import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { NotFoundError, RefusedError } from '../../src/errors.js';
import { startTestDeps } from '../support/test-deps.js';

let t: Awaited<ReturnType<typeof startTestDeps>>;
beforeAll(async () => {
  t = await startTestDeps('pipelines');
});
afterAll(() => t.stop());

const ana: Actor = { teamId: 'T0ACME', userId: 'U0ANA' };
const rival: Actor = { teamId: 'T0RIVAL', userId: 'U0EVE' };
/** What the trail says, without the storage ids. */
const auditOf = async (teamId: string) =>
  (await t.deps.db.collection('audit').find({ teamId }).toArray()).map(({ _id, key: _key, ...event }) => event);

describe('pipeline service on the MongoDB-wire server', () => {
  it('builds the seed team pipeline link by link and shows it', async () => {
    const first = await t.deps.pipelines.addLink(ana, 'myapp-staging', 'myapp');
    expect(first).toEqual({
      upstream: 'myapp-staging',
      downstream: 'myapp',
      changed: true,
      pipeline: 'Pipeline: myapp-staging ---> myapp',
    });
    await t.deps.pipelines.addLink(ana, 'myapp-jim-dev', 'myapp-staging');
    const last = await t.deps.pipelines.addLink(ana, 'myapp-kim-dev', 'myapp-staging');
    const seedDrawing = 'Pipeline: myapp-jim-dev ---+\n          myapp-kim-dev ---+---> myapp-staging ---> myapp';
    expect(last.pipeline).toBe(seedDrawing);
    const seedApps = ['myapp', 'myapp-jim-dev', 'myapp-kim-dev', 'myapp-staging'];
    const sorted = (view: { apps: string[] }) => ({ ...view, apps: [...view.apps].sort() });
    expect(sorted(await t.deps.pipelines.show(ana.teamId))).toEqual({ pipelines: [seedDrawing], apps: seedApps });
    expect(sorted(await t.deps.pipelines.show(ana.teamId, 'myapp'))).toEqual({
      app: 'myapp',
      pipelines: [seedDrawing],
      apps: seedApps,
    });
    // An app in no pipeline is still itself (show lists the channels that hear it).
    expect(await t.deps.pipelines.show(ana.teamId, 'billing')).toEqual({
      app: 'billing',
      pipelines: [],
      apps: ['billing'],
    });
  });

  it('wrote one audit event per link, carrying who, when and both apps', async () => {
    const events = await auditOf(ana.teamId);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'pipeline.link_added',
        app: 'myapp-staging',
        apps: ['myapp-staging', 'myapp'],
      }),
      expect.objectContaining({ action: 'pipeline.link_added', app: 'myapp-jim-dev' }),
      expect.objectContaining({ action: 'pipeline.link_added', app: 'myapp-kim-dev' }),
    ]);
    expect(events[0]).toEqual({
      teamId: 'T0ACME',
      at: t.clock.now(),
      actor: 'U0ANA',
      action: 'pipeline.link_added',
      app: 'myapp-staging',
      apps: ['myapp-staging', 'myapp'],
      details: { downstream: 'myapp' },
    });
  });

  it('adding an existing link again changes nothing and audits nothing', async () => {
    const again = await t.deps.pipelines.addLink(ana, 'myapp-staging', 'myapp');
    expect(again.changed).toBe(false);
    expect(await auditOf(ana.teamId)).toHaveLength(3);
  });

  it('refuses a cycle, a second downstream and a bad name, writing nothing', async () => {
    await expect(t.deps.pipelines.addLink(ana, 'myapp', 'myapp-jim-dev')).rejects.toThrow(
      new RefusedError(
        'Cannot make myapp-jim-dev the downstream of myapp: it would close a cycle: ' +
          'myapp ---> myapp-jim-dev ---> myapp-staging ---> myapp.',
      ),
    );
    await expect(t.deps.pipelines.addLink(ana, 'myapp', 'myapp')).rejects.toThrow(/an app cannot promote to itself/);
    await expect(t.deps.pipelines.addLink(ana, 'myapp-staging', 'myapp-eu')).rejects.toThrow(
      /myapp-staging already promotes to myapp, .* Run \/pipeline remove myapp-staging first/,
    );
    await expect(t.deps.pipelines.addLink(ana, 'My_App', 'myapp')).rejects.toThrow(/not a valid app name/);
    expect(await t.deps.db.collection('couplings').countDocuments({ teamId: ana.teamId })).toBe(3);
    expect(await auditOf(ana.teamId)).toHaveLength(3);
  });

  it('removes a link, audits it once, and says so when there is nothing to remove', async () => {
    t.clock.advance(60_000);
    const removed = await t.deps.pipelines.removeLink(ana, 'myapp-kim-dev');
    expect(removed).toEqual({
      upstream: 'myapp-kim-dev',
      downstream: 'myapp-staging',
      pipelines: ['Pipeline: myapp-jim-dev ---> myapp-staging ---> myapp'],
    });
    await expect(t.deps.pipelines.removeLink(ana, 'myapp-kim-dev')).rejects.toThrow(NotFoundError);
    await expect(t.deps.pipelines.removeLink(ana, 'myapp-kim-dev')).rejects.toThrow(
      'myapp-kim-dev has no downstream app, so there is no link to remove. See /pipeline show.',
    );
    const events = await auditOf(ana.teamId);
    expect(events).toHaveLength(4);
    expect(events[3]).toMatchObject({
      action: 'pipeline.link_removed',
      app: 'myapp-kim-dev',
      apps: ['myapp-kim-dev', 'myapp-staging'],
      at: t.clock.now(),
    });
  });

  it('shows both halves when a link in the middle is removed, then joins them again', async () => {
    t.clock.advance(60_000);
    const split = await t.deps.pipelines.removeLink(ana, 'myapp-staging');
    expect(split.pipelines).toEqual(['Pipeline: myapp-jim-dev ---> myapp-staging']);
    expect((await t.deps.pipelines.show(ana.teamId)).pipelines).toEqual(['Pipeline: myapp-jim-dev ---> myapp-staging']);
    await t.deps.pipelines.addLink(ana, 'myapp-staging', 'myapp');
    expect(await auditOf(ana.teamId)).toHaveLength(6);
  });

  it('keeps teams apart: another team sees none of it and cannot change it', async () => {
    expect(await t.deps.pipelines.show(rival.teamId)).toEqual({ pipelines: [], apps: [] });
    expect(await t.deps.pipelines.show(rival.teamId, 'myapp')).toEqual({
      app: 'myapp',
      pipelines: [],
      apps: ['myapp'],
    });
    await expect(t.deps.pipelines.removeLink(rival, 'myapp-staging')).rejects.toThrow(NotFoundError);
    // The same names are free in the other team, and what it builds does not leak back.
    await t.deps.pipelines.addLink(rival, 'myapp', 'myapp-staging');
    expect((await t.deps.pipelines.show(rival.teamId)).pipelines).toEqual(['Pipeline: myapp ---> myapp-staging']);
    expect((await t.deps.pipelines.show(ana.teamId)).pipelines).toEqual([
      'Pipeline: myapp-jim-dev ---> myapp-staging ---> myapp',
    ]);
    expect(await auditOf(rival.teamId)).toHaveLength(1);
    expect(await auditOf(ana.teamId)).toHaveLength(6);
  });
});
