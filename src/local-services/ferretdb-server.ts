import { tcpProbe } from './tcp-probe.js';
import { type ServerPlacement, startThrowawayServer, type ThrowawayServer } from './throwaway-server.js';

/** An ephemeral FerretDB (MongoDB wire protocol) on SQLite files in a temp folder. */
export function startFerretDb(placement: ServerPlacement = {}): Promise<ThrowawayServer> {
  return startThrowawayServer(
    {
      name: 'ferretdb',
      args: (port, dir) => [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        // Without these, every instance tries to phone home and to bind the same debug port 8088.
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=warn',
      ],
      url: (port) => `mongodb://127.0.0.1:${port}`,
      ready: (port) => tcpProbe(port),
    },
    placement,
  );
}
