import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubCodeHost } from '../../src/platform/github-code-host.js';
import {
  PlatformForbiddenError,
  PlatformNotFoundError,
  PlatformUnavailableError,
} from '../../src/platform/platform-errors.js';
import { type Simulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { simControl } from '../support/sim-control.js';

const TOKEN = 'gh-token';
let sim: Simulator;
let shas: string[] = [];
const github = (token?: string) => createGithubCodeHost({ apiUrl: `${sim.url}/github`, token, timeoutMs: 2_000 });

beforeAll(async () => {
  sim = await startSimulator({ token: TOKEN });
  const control = simControl(sim.url);
  await control.addApp('myapp-staging', 'acme/myapp');
  const deployed = [
    await control.deploy('myapp-staging', 'Initial commit'),
    await control.deploy('myapp-staging', 'Add the checkout page', 'A super important fix\n\nwith a body'),
  ];
  shas = deployed.map((d) => d.slug.commit);
});
afterAll(() => sim.close());

describe('the github adapter against the simulator', () => {
  it('compares base...head: ahead count, commits newest first with first line, author and date, and the web link', async () => {
    const [base = '', head = ''] = shas;
    const comparison = await github(TOKEN).compare('acme/myapp', base, head);
    expect(comparison).toMatchObject({
      status: 'ahead',
      aheadBy: 2,
      behindBy: 0,
      url: `https://github.com/acme/myapp/compare/${base}...${head}`,
    });
    expect(comparison.commits.map((c) => [c.message, c.author])).toEqual([
      ['A super important fix', 'Kim Developer'],
      ['Add the checkout page', 'Jim Developer'],
    ]);
    expect(comparison.commits[0]?.sha).toBe(head);
    expect(comparison.commits[0]?.date).toBeInstanceOf(Date);
  });

  it('reports behind and identical, and accepts short shas', async () => {
    const [base = '', head = ''] = shas;
    expect(await github(TOKEN).compare('acme/myapp', head, base)).toMatchObject({
      status: 'behind',
      aheadBy: 0,
      behindBy: 2,
      commits: [],
    });
    expect(await github().compare('acme/myapp', head.slice(0, 7), head)).toMatchObject({
      status: 'identical',
      aheadBy: 0,
    });
  });

  it('maps an unknown commit to not-found and a bad token to forbidden', async () => {
    await expect(github(TOKEN).compare('acme/myapp', 'deadbeefdeadbeef', shas[0] ?? '')).rejects.toBeInstanceOf(
      PlatformNotFoundError,
    );
    await expect(github('wrong').compare('acme/myapp', shas[0] ?? '', shas[1] ?? '')).rejects.toMatchObject({
      constructor: PlatformForbiddenError,
      message: 'GitHub answered 401: Bad credentials',
    });
  });

  it('turns a GitHub outage into a retryable error', async () => {
    await simControl(sim.url).fault({ path: '/github/', status: 502, times: 1 });
    await expect(github().compare('acme/myapp', shas[0] ?? '', shas[1] ?? '')).rejects.toBeInstanceOf(
      PlatformUnavailableError,
    );
  });
});
