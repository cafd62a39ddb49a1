import { tcpProbe } from './tcp-probe.js';
import { type ServerPlacement, startThrowawayServer, type ThrowawayServer } from './throwaway-server.js';

/**
 * An ephemeral redis-server: loopback only, eviction off as BullMQ requires. Nothing is persisted unless `aof`,
 * which keeps every write across a restart as production's AOF does.
 */
export function startRedisServer(options: { aof?: boolean } & ServerPlacement = {}): Promise<ThrowawayServer> {
  return startThrowawayServer(
    {
      name: 'redis-server',
      args: (port, dir) => [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        options.aof ? 'yes' : 'no',
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
        '--loglevel',
        'warning',
      ],
      url: (port) => `redis://127.0.0.1:${port}`,
      ready: (port) => tcpProbe(port, 'PING\r\n', '+PONG'),
    },
    options,
  );
}
