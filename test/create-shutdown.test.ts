import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/create-logger.js';
import { createShutdown } from '../src/create-shutdown.js';

const logger = createLogger('silent');

describe('createShutdown', () => {
  it('closes parts in reverse order of start and reports success', async () => {
    const closed: string[] = [];
    const shutdown = createShutdown(logger, 1_000);
    for (const name of ['connections', 'web', 'worker']) shutdown.add(name, async () => void closed.push(name));
    expect(await shutdown.run('SIGTERM')).toBe(0);
    expect(closed).toEqual(['worker', 'web', 'connections']);
  });

  it('gives up at the deadline when a part hangs, and reports failure', async () => {
    const shutdown = createShutdown(logger, 100);
    shutdown.add('stuck', () => new Promise(() => {}));
    const started = Date.now();
    expect(await shutdown.run('SIGTERM')).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('still closes the other parts when one fails, and runs only once for repeated signals', async () => {
    let connectionsClosed = 0;
    const shutdown = createShutdown(logger, 1_000);
    shutdown.add('connections', async () => void connectionsClosed++);
    shutdown.add('web', async () => {
      throw new Error('boom');
    });
    const [first, second] = await Promise.all([shutdown.run('SIGTERM'), shutdown.run('SIGINT')]);
    expect([first, second]).toEqual([1, 1]);
    expect(connectionsClosed).toBe(1);
  });
});
