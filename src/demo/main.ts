// npm run demo: see it work with nothing but this machine. scripts/demo.mjs installs what is missing, then runs this.
import { parseArgs } from 'node:util';
import { loadDemoConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { SIMULATOR_PORT } from '../simulator/simulator-defaults.js';
import { runDemo } from './run-demo.js';

const USAGE = 'usage: npm run demo -- [--port 3000] [--playground-port 3001] [--simulator-port 5000]';

const say = (line: string) => process.stdout.write(`demo: ${line}\n`);
// A closed terminal must not crash the cleanup that follows it: lines nobody can read are dropped.
process.stdout.on('error', () => {});
const PARENT_CHECK_MS = 1_000;

async function main(): Promise<void> {
  const options = readOptions();
  const starting = new AbortController();
  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  let stoppingAt = 0;
  const onStop = (why: string) => {
    // A terminal's Ctrl-C reaches us twice (from the terminal, and passed on by npm): one within a second is one.
    // Another one later means "now": what was started is killed as the process exits.
    if (stopping) {
      if (Date.now() - stoppingAt < 1_000) return;
      say('stopping at once: killing what is left (the next run cleans up its folder)');
      process.exit(1);
    }
    clearInterval(parentCheck);
    stopping = true;
    stoppingAt = Date.now();
    say(`${why}: stopping the bot, the playground, the simulator and the stores`);
    if (!stop) return starting.abort(new Error(`${why} while starting`));
    void stop().then(() => finished(0));
  };
  // Registered before anything starts: a Ctrl-C at any moment stops what has started, in order.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onStop(signal));
  // npm killed outright (or a wrapper that does not pass signals on) orphans us: then stop as if told to.
  const parent = process.ppid;
  const parentCheck = setInterval(() => process.ppid !== parent && onStop('the terminal is gone'), PARENT_CHECK_MS);
  parentCheck.unref();
  try {
    const demo = await runDemo({ ...options, say, signal: starting.signal });
    stop = demo.stop;
    // process.uptime: the bootstrap's installs run in this same process, so this is the time since `npm run demo`.
    say(`ready in ${process.uptime().toFixed(1)} s. Open ${demo.url} and ${demo.firstStep}. Ctrl-C stops everything.`);
  } catch (err) {
    if (starting.signal.aborted) return finished(0);
    process.stderr.write(`demo cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

function finished(code: number): never {
  say('stopped; nothing is left running');
  process.exit(code);
}

function readOptions() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '3000' },
        'playground-port': { type: 'string', default: '3001' },
        'simulator-port': { type: 'string', default: String(SIMULATOR_PORT) },
      },
      strict: true,
    });
    const ports = {
      bot: portOf(values.port, '--port'),
      playground: portOf(values['playground-port'], '--playground-port'),
      simulator: portOf(values['simulator-port'], '--simulator-port'),
    };
    return { config: loadDemoConfig(), ports };
  } catch (err) {
    const lines = err instanceof ConfigError ? err.problems : [(err as Error).message, USAGE];
    for (const line of lines) process.stderr.write(`demo cannot start: ${line}\n`);
    process.exit(1);
  }
}

function portOf(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${flag} must be a port number, 0-65535`);
  return port;
}

main().catch((err: Error) => {
  process.stderr.write(`demo cannot start: ${err.message}\n`);
  process.exit(1);
});
