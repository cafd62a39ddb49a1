import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubCodeHost } from '../../src/platform/github-code-host.js';
import { createHerokuPlatform } from '../../src/platform/heroku-platform.js';
import { diffApps } from '../../src/promotions/diff-apps.js';
import { applySeed, loadSeed } from '../../src/simulator/sim-seed.js';
import { createSimState } from '../../src/simulator/sim-state.js';
import { type Simulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { simControl } from '../support/sim-control.js';

let sim: Simulator;
let ports: Parameters<typeof diffApps>[0];

beforeAll(async () => {
  const state = createSimState();
  applySeed(state, await loadSeed('seeds/team-pipeline.yml'));
  sim = await startSimulator({ token: 't', state });
  ports = {
    platform: createHerokuPlatform({ baseUrl: sim.url, token: 't' }),
    codeHost: createGithubCodeHost({ apiUrl: `${sim.url}/github` }),
  };
});
afterAll(() => sim.close());

describe('diffApps on the shipped seed', () => {
  it('lists what staging has that production lacks, from GitHub when the repo is linked', async () => {
    const diff = await diffApps(ports, { upstream: 'myapp-staging', downstream: 'myapp', repo: 'acme/myapp' });
    expect(diff).toMatchObject({
      source: 'github',
      partial: false,
      comparison: { status: 'ahead', aheadBy: 2, behindBy: 0 },
    });
    expect(diff.comparison.commits.map((c) => `${c.message} (${c.author})`)).toEqual([
      'Add the audit log (Kim Developer)',
      'A super important fix (Jim Developer)',
    ]);
    expect(diff.upstream).toMatchObject({ app: 'myapp-staging', release: { version: 3, current: true } });
    expect(diff.downstream.release.description).toMatch(/^Promote myapp-staging v2 [0-9a-f]{7}$/);
  });

  it('falls back to the releases, and says it is partial, when no repo is linked', async () => {
    const diff = await diffApps(ports, { upstream: 'myapp-staging', downstream: 'myapp', repo: null });
    expect(diff).toMatchObject({ source: 'releases', partial: true, comparison: { status: 'ahead', aheadBy: 1 } });
    // One release stands for its head commit: the fallback cannot see the commits in between.
    expect(diff.comparison.commits.map((c) => [c.message, c.author])).toEqual([
      ['Add the audit log', 'you@yourcompany.com'],
    ]);
  });

  it('falls back when GitHub does not know the commits', async () => {
    const diff = await diffApps(ports, { upstream: 'myapp-staging', downstream: 'myapp', repo: 'acme/other' });
    expect(diff.source).toBe('releases');
  });

  it('says everything is up to date right after a promotion', async () => {
    const control = simControl(sim.url);
    const staging = await ports.platform.listReleases('myapp-staging', { limit: 1 });
    await ports.platform.createRelease('myapp', {
      slug: staging[0]?.slugId ?? '',
      description: 'Promote myapp-staging v3',
    });
    for (const repo of ['acme/myapp', null]) {
      const diff = await diffApps(ports, { upstream: 'myapp-staging', downstream: 'myapp', repo });
      expect(diff.comparison).toMatchObject({ status: 'identical', aheadBy: 0, commits: [] });
    }
    expect(((await control.state()) as { apps: unknown[] }).apps).toHaveLength(4);
  });

  it('does not call a rolled-back upstream ahead of what it rolled back from', async () => {
    const control = simControl(sim.url);
    await control.addApp('roll-stg');
    await control.addApp('roll-prd');
    const a = await control.deploy('roll-stg', 'A');
    await control.deploy('roll-stg', 'B');
    const [b] = await ports.platform.listReleases('roll-stg', { limit: 1 });
    await ports.platform.createRelease('roll-prd', { slug: b?.slugId ?? '', description: 'Promote roll-stg' });
    await ports.platform.rollback('roll-stg', a.release.id);
    const diff = await diffApps(ports, { upstream: 'roll-stg', downstream: 'roll-prd', repo: null });
    expect(diff.comparison).toMatchObject({ status: 'behind', aheadBy: 0, behindBy: 1, commits: [] });
  });

  it("shows a dev app's release history against staging without a repo", async () => {
    const diff = await diffApps(ports, { upstream: 'myapp-jim-dev', downstream: 'myapp-staging', repo: null });
    expect(diff).toMatchObject({ source: 'releases', partial: true, comparison: { status: 'diverged', aheadBy: 1 } });
    expect(diff.comparison.commits[0]?.message).toBe('A super important fix');
  });
});
