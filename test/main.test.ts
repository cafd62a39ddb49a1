import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/local-services/free-port.js';
import { waitFor } from '../src/local-services/wait-for.js';
import { type MainProcess, runMain } from './support/run-main.js';
import { testEnv } from './support/test-env.js';

const env = testEnv('main');
const running: MainProcess[] = [];
afterAll(async () => {
  for (const main of running) main.child.kill('SIGKILL');
  await env.cleanup();
});

function start(vars: Record<string, string>, args: string[] = []): MainProcess {
  const main = runMain(vars, args);
  running.push(main);
  return main;
}

const secrets = { SLACK_SIGNING_SECRET: 'signing-secret-do-not-log', SLACK_BOT_TOKEN: 'xoxb-token-do-not-log' };
/** A standalone simulator's address: the web and worker roles embed none. Nothing listens there; none of these calls it. */
const standaloneSimulator = { HEROKU_API_URL: 'http://127.0.0.1:9' };

describe('the pipeline-bot process', () => {
  it('refuses to boot without SLACK_BOT_TOKEN, with one line naming it', async () => {
    const main = start({ SLACK_SIGNING_SECRET: 's' });
    expect(await main.exited).toBe(1);
    expect(main.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(/^pipeline-bot cannot start: SLACK_BOT_TOKEN is missing: expected .*xoxb-/),
    ]);
  });

  it('refuses an unknown --role with one line', async () => {
    const main = start(secrets, ['--role', 'cron']);
    expect(await main.exited).toBe(1);
    expect(main.stderr().trim().split('\n')).toEqual([expect.stringMatching(/PIPELINE_BOT_ROLE is invalid: .*web/)]);
  });

  it.each([
    ['web', []],
    ['worker', ['PLATFORM=simulator']],
  ])('refuses to start role %s on the simulator without a standalone one, in one line', async (role, extra) => {
    const vars = Object.fromEntries(extra.map((pair) => pair.split('=')));
    const main = start({ ...secrets, ...vars }, ['--role', role as string]);
    expect(await main.exited).toBe(1);
    expect(main.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`role ${role} runs no embedded simulator.*npm run simulator.*HEROKU_API_URL=`)),
    ]);
  });

  it('checks the configuration and exits with --check-config, starting nothing', async () => {
    const main = start(secrets, ['--check-config']);
    expect(await main.exited).toBe(0);
    expect(main.stdout()).toBe('pipeline-bot: the configuration is valid\n');
  });

  it('serves /healthz and /readyz in the web role and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const stores = { REDIS_URL: env.redisUrl, MONGO_URL: env.mongoUrl, PORT: String(port) };
    const main = start({ ...secrets, ...standaloneSimulator, ...stores }, ['--role=web']);
    const url = `http://127.0.0.1:${port}`;
    await waitFor('the web role to listen', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined));
    // Ready once it has started (indexes made, Slack's requests taken), which may be a moment after it listens.
    await waitFor('the web role to be ready', async () => ((await fetch(`${url}/readyz`)).ok ? true : undefined));

    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    const logs = main.stdout();
    expect(logs).toContain('"msg":"shutdown: done"');
    expect(logs).toContain('using the platform SIMULATOR, not Heroku');
    expect(logs + main.stderr()).not.toMatch(/do-not-log/);
  });

  it('opens no HTTP port in the worker role and stops on SIGINT', async () => {
    const port = await freePort();
    const stores = { REDIS_URL: env.redisUrl, MONGO_URL: env.mongoUrl, PORT: String(port) };
    const main = start({ ...secrets, ...standaloneSimulator, ...stores }, ['--role', 'worker']);
    await waitFor('the worker to start', () => (main.stdout().includes('"role":"worker"') ? true : undefined));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    main.child.kill('SIGINT');
    expect(await main.exited).toBe(0);
  });
});
