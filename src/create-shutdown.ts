import type { Logger } from './create-logger.js';
import { withTimeLimit } from './time-limit.js';

export type Shutdown = {
  /** Registers something to close; closed in reverse order of registration. */
  add(name: string, close: () => Promise<void>): void;
  /** Closes everything; resolves with the exit code: 0 when all closed in time, 1 otherwise. */
  run(reason: string): Promise<number>;
};

export function createShutdown(logger: Logger, deadlineMs: number): Shutdown {
  const closers: { name: string; close: () => Promise<void> }[] = [];
  let running: Promise<number> | undefined;

  async function closeAll(): Promise<boolean> {
    let clean = true;
    for (const { name, close } of [...closers].reverse()) {
      try {
        await close();
      } catch (err) {
        clean = false;
        logger.error({ err, part: name }, 'shutdown: close failed');
      }
    }
    return clean;
  }

  async function run(reason: string): Promise<number> {
    logger.info({ reason, deadlineMs }, 'shutdown: closing');
    const outcome = await withTimeLimit(closeAll(), deadlineMs, () => 'late' as const);
    if (outcome === 'late') logger.error({ deadlineMs }, 'shutdown: deadline passed, exiting anyway');
    else logger.info('shutdown: done');
    return outcome === true ? 0 : 1;
  }

  return {
    add: (name, close) => closers.push({ name, close }),
    run: (reason) => {
      running ??= run(reason);
      return running;
    },
  };
}
