// The platform simulator on its own: npm run simulator -- --port 5000 --seed seeds/team-pipeline.yml
import { parseArgs } from 'node:util';
import { applySeed, loadSeed } from './sim-seed.js';
import { createSimState } from './sim-state.js';
import { SIMULATOR_PORT, SIMULATOR_TOKEN } from './simulator-defaults.js';
import { startSimulator } from './start-simulator.js';

const USAGE =
  'usage: npm run simulator -- [--port 5000] [--host 127.0.0.1] [--seed FILE] [--token TOKEN] ' +
  '[--webhook-url URL --webhook-secret SECRET]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(SIMULATOR_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      token: { type: 'string', default: SIMULATOR_TOKEN },
      'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535. ${USAGE}`);
  const state = createSimState();
  if (values.seed) applySeed(state, await loadSeed(values.seed));
  const webhook = { url: values['webhook-url'], secret: values['webhook-secret'] };
  if (Boolean(webhook.url) !== Boolean(webhook.secret))
    throw new Error(`--webhook-url and --webhook-secret go together. ${USAGE}`);
  const simulator = await startSimulator({ port, host: values.host, token: values.token, state });
  // The bot's /webhooks/heroku, as `heroku webhooks:add` would point a real app's releases at it.
  if (webhook.url && webhook.secret && !simulator.webhooks.subscribe({ url: webhook.url, secret: webhook.secret })) {
    throw new Error(`--webhook-url must be an http(s) URL. ${USAGE}`);
  }
  process.stdout.write(
    `platform simulator on ${simulator.url} (Heroku API at /, GitHub at /github, controls at /_sim; ` +
      `it wants the bearer token given by --token, or ${SIMULATOR_TOKEN} by default)\n` +
      `point the bot at it: PLATFORM=simulator HEROKU_API_URL=${simulator.url} HEROKU_API_KEY=${values.token}\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void simulator.close().then(() => process.exit(0)));
  }
}

main().catch((err: Error) => {
  process.stderr.write(`simulator cannot start: ${err.message}\n`);
  process.exit(1);
});
