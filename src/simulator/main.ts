// The platform simulator on its own: npm run simulator -- --port 5000 --seed seeds/team-pipeline.yml
import { parseArgs } from 'node:util';
import { applySeed, loadSeed } from './sim-seed.js';
import { createSimState } from './sim-state.js';
import { startSimulator } from './start-simulator.js';

const USAGE = 'usage: npm run simulator -- [--port 5000] [--host 127.0.0.1] [--seed FILE] [--token TOKEN]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5000' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      token: { type: 'string', default: 'simulator-token' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535. ${USAGE}`);
  const state = createSimState();
  if (values.seed) applySeed(state, await loadSeed(values.seed));
  const simulator = await startSimulator({ port, host: values.host, token: values.token, state });
  process.stdout.write(
    `platform simulator on ${simulator.url} (Heroku API at /, GitHub at /github, controls at /_sim; ` +
      `it wants the bearer token given by --token, or simulator-token by default)\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void simulator.close().then(() => process.exit(0)));
  }
}

main().catch((err: Error) => {
  process.stderr.write(`simulator cannot start: ${err.message}\n`);
  process.exit(1);
});
