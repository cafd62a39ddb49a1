import { Agent, createServer, request } from 'node:http';
import { listen } from '../../src/http/create-http-server.js';

/** One platform call as the proxy saw it; `endedAt` unset while it is in flight. */
export type ProxiedCall = { caller: string; method: string; path: string; startedAt: number; endedAt?: number };

const KEPT_CALLS = 5_000;

/**
 * A pass-through in front of the simulator, one per bot process: which process is in the middle of which platform
 * call is what lets a worker be killed while it holds a promotion, and its promotion be named. It changes nothing:
 * a lost answer stays lost (the caller's socket is destroyed), and a caller that gives up aborts the upstream call.
 */
export async function startSimProxy(simUrl: string, caller: string) {
  const target = new URL(simUrl);
  // No reuse of upstream sockets: an idle one the simulator closed must not turn into a fault nobody injected.
  const agent = new Agent({ keepAlive: false });
  const calls: ProxiedCall[] = [];
  const inFlight = new Set<ProxiedCall>();
  const server = createServer((req, res) => {
    const call: ProxiedCall = {
      caller,
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://proxy').pathname,
      startedAt: Date.now(),
    };
    calls.push(call);
    if (calls.length > KEPT_CALLS) calls.splice(0, calls.length - KEPT_CALLS);
    inFlight.add(call);
    const end = () => {
      call.endedAt ??= Date.now();
      inFlight.delete(call);
    };
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', end);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      end();
      req.socket.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      end();
    });
    req.pipe(upstream);
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    caller,
    inFlight: () => [...inFlight],
    /** The calls since `since` (ms since the epoch), oldest first. */
    callsSince: (since: number) => calls.filter((c) => c.startedAt >= since),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

export type SimProxy = Awaited<ReturnType<typeof startSimProxy>>;
