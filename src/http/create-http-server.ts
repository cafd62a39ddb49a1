import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../create-logger.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
/** Keyed by `METHOD /path`, e.g. `GET /healthz`. */
export type Routes = Record<string, RouteHandler>;

/**
 * The web role's one HTTP server. Our own routes are matched first; anything else goes to `fallback`
 * (Bolt's receiver, once Slack is wired) or gets a 404.
 */
export function createHttpServer(deps: { routes: Routes; logger: Logger; fallback?: RequestListener }): Server {
  return createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = deps.routes[`${req.method} ${path}`];
    try {
      const allowed = methodsOf(deps.routes, path);
      if (handler) await handler(req, res);
      else if (allowed.length > 0) notAllowed(res, req.method, path, allowed);
      else if (deps.fallback) deps.fallback(req, res);
      else sendJson(res, 404, { error: 'not_found', message: `No route for ${req.method} ${path}` });
    } catch (err) {
      deps.logger.error({ err, path }, 'http route failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'The request failed; see logs.' });
      else res.end();
    }
  });
}

/** The methods our own routes take at `path` (a GET of a POST-only route is refused, not handed on). */
function methodsOf(routes: Routes, path: string): string[] {
  return Object.keys(routes)
    .filter((route) => route.endsWith(` ${path}`))
    .map((route) => route.split(' ')[0] ?? '');
}

function notAllowed(res: ServerResponse, method: string | undefined, path: string, allowed: string[]): void {
  res.setHeader('allow', allowed.join(', '));
  sendJson(res, 405, { error: 'method_not_allowed', message: `${path} takes ${allowed.join(', ')}, not ${method}.` });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Listens and resolves with the bound port (useful with port 0). */
export async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
