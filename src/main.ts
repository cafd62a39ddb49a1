import { parseArgs } from 'node:util';
import { type Config, loadConfig } from './config.js';
import { createLogger, type Logger } from './create-logger.js';
import { createShutdown } from './create-shutdown.js';
import { ConfigError } from './errors.js';
import { startProcess } from './roles/start-role.js';
import { SIMULATOR_TOKEN } from './simulator/simulator-defaults.js';

/** Long enough for a running promotion to finish its platform call; short enough for orchestrators' kill timers. */
const SHUTDOWN_DEADLINE_MS = 10_000;
const USAGE = 'usage: pipeline-bot [--role web|worker|all] [--check-config]';

async function main(argv: string[]): Promise<void> {
  const { config, checkOnly } = readConfigOrExit(argv);
  if (checkOnly) return void process.stdout.write('pipeline-bot: the configuration is valid\n');
  const logger = createLogger(config.logLevel);
  warnAboutPlatform(config, logger);
  const shutdown = createShutdown(logger, SHUTDOWN_DEADLINE_MS);
  onStopSignal(async (signal) => process.exit(await shutdown.run(signal)));
  try {
    await startProcess(config, logger, shutdown);
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    await shutdown.run('start failed');
    process.exit(1);
  }
}

function readConfigOrExit(argv: string[]): { config: Config; checkOnly: boolean } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { role: { type: 'string' }, 'check-config': { type: 'boolean' } },
      strict: true,
    });
    return { config: loadConfig(undefined, { role: values.role }), checkOnly: values['check-config'] === true };
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) process.stderr.write(`pipeline-bot cannot start: ${line}\n`);
    } else {
      process.stderr.write(`pipeline-bot cannot start: ${(err as Error).message}\n${USAGE}\n`);
    }
    process.exit(1);
  }
}

function warnAboutPlatform(config: Config, logger: Logger): void {
  if (config.platform.kind === 'simulator' && config.platform.chosenBy === 'default') {
    logger.warn('PLATFORM is not set and HEROKU_API_KEY is empty: using the platform SIMULATOR, not Heroku');
  }
  const { herokuApiKey, simulatorUrl } = config.platform;
  if (config.platform.kind === 'simulator' && simulatorUrl && herokuApiKey && herokuApiKey !== SIMULATOR_TOKEN) {
    // Most likely a Heroku key meant for PLATFORM=heroku: say so rather than fail every call with a 401.
    logger.warn(
      { simulatorUrl },
      'PLATFORM=simulator, yet HEROKU_API_KEY is not the simulator token: it is sent to the simulator; for Heroku set PLATFORM=heroku',
    );
  }
}

/**
 * The first signal closes gracefully; another one a second later means "now". Signals within that second are
 * one: Ctrl-C under `tsx watch` reaches us twice, from the terminal and relayed by the watcher.
 */
function onStopSignal(stop: (signal: string) => Promise<void>): void {
  let firstAt: number | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (firstAt === undefined) {
        firstAt = Date.now();
        void stop(signal);
      } else if (Date.now() - firstAt > 1_000) {
        process.exit(1);
      }
    });
  }
}

await main(process.argv.slice(2));
