import { tcpProbe } from './tcp-probe.js';
import { startTestServer, type TestServer } from './test-server.js';

/** An ephemeral redis-server: loopback only, nothing persisted, eviction off as BullMQ requires. */
export function startRedisServer(): Promise<TestServer> {
  return startTestServer({
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
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--loglevel',
      'warning',
    ],
    url: (port) => `redis://127.0.0.1:${port}`,
    ready: (port) => tcpProbe(port, 'PING\r\n', '+PONG'),
  });
}
