import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http/create-http-server.js';
import { controlRoutes } from './control-routes.js';
import { githubRoutes } from './github-routes.js';
import { herokuRoutes } from './heroku-routes.js';
import { SimError } from './sim-error.js';
import { createFaults, type FaultRule, faultError } from './sim-faults.js';
import type { SimAnswer, SimRoute } from './sim-route.js';
import { createSimState, type SimState } from './sim-state.js';
import { createSimWebhooks } from './sim-webhooks.js';

export type SimulatorOptions = {
  port?: number;
  host?: string;
  /** The bearer token Heroku paths require (and GitHub paths check when one is sent). */
  token: string;
  state?: SimState;
};

export type Simulator = Awaited<ReturnType<typeof startSimulator>>;

/** The platform simulator as an HTTP server: Heroku's paths at `/`, GitHub's compare at `/github`, controls at `/_sim`. */
export async function startSimulator(options: SimulatorOptions) {
  const state = options.state ?? createSimState();
  const faults = createFaults();
  const webhooks = createSimWebhooks(state);
  let url = '';
  const routes = [
    ...herokuRoutes(state),
    ...githubRoutes(state, () => url),
    ...controlRoutes({ state, faults, webhooks }),
  ];
  const server = createServer((req, res) => void handle(req, res));
  const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    const match = matchRoute(routes, method, target.pathname);
    const fault = match && match.route.auth !== 'control' ? faults.take(method, target.pathname) : undefined;
    try {
      if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault?.status) throw faultError({ ...fault, status: fault.status });
      if (!match) throw new SimError(404, 'not_found', `The simulator has no route ${method} ${target.pathname}.`);
      authorize(match.route, req, options.token);
      const body = await readJson(req);
      const answer = match.route.handle({
        params: match.params,
        body,
        headers: req.headers,
        query: target.searchParams,
      });
      // The change is made; a "lost response" closes the connection instead of answering.
      if (fault?.dropResponse) return void req.socket.destroy();
      send(res, answer);
    } catch (err) {
      send(res, errorAnswer(err, match?.route.auth, fault));
    }
  }

  return {
    url,
    state,
    faults,
    webhooks,
    close: async () => {
      await webhooks.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matchRoute(routes: SimRoute[], method: string, path: string) {
  for (const route of routes) {
    const found = route.method === method ? route.pattern.exec(path) : null;
    if (found) return { route, params: found.slice(1).map(decodeURIComponent) };
  }
  return undefined;
}

/** Heroku: `Bearer TOKEN` (or heroku-client's Basic `:TOKEN`) and the v3 Accept header. GitHub: a token is optional. */
function authorize(route: SimRoute, req: IncomingMessage, token: string): void {
  if (route.auth === 'control') return;
  const given = tokenOf(req.headers.authorization);
  if (route.auth === 'github') {
    if (given !== undefined && !same(given, token)) throw new SimError(401, 'unauthorized', 'Bad credentials');
    return;
  }
  if (given === undefined || !same(given, token)) {
    throw new SimError(401, 'unauthorized', 'Invalid credentials provided.');
  }
  if (!/application\/vnd\.heroku\+json;\s*version=3/.test(req.headers.accept ?? '')) {
    throw new SimError(
      406,
      'not_acceptable',
      "Please specify a version along with Heroku's API MIME type. For example, `Accept: application/vnd.heroku+json; version=3`.",
    );
  }
}

function tokenOf(header: string | undefined): string | undefined {
  const [scheme, value = ''] = (header ?? '').split(' ');
  if (scheme === 'Bearer' || scheme === 'token') return value;
  if (scheme === 'Basic') return Buffer.from(value, 'base64').toString().split(':')[1];
  return undefined;
}

function same(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SimError(400, 'bad_request', 'Request body is not valid JSON.');
  }
}

function errorAnswer(err: unknown, api: SimRoute['auth'] | undefined, fault: FaultRule | undefined): SimAnswer {
  const error = err instanceof SimError ? err : new SimError(500, 'internal_server_error', (err as Error).message);
  const headers: Record<string, string> = fault?.retryAfter ? { 'Retry-After': String(fault.retryAfter) } : {};
  if (api === 'github') {
    return {
      status: error.status,
      headers,
      body: { message: error.message, documentation_url: 'https://docs.github.com/rest', status: String(error.status) },
    };
  }
  const body = { id: error.id, message: error.message, ...(error.resource ? { resource: error.resource } : {}) };
  return { status: error.status, headers, body };
}

function send(res: ServerResponse, answer: SimAnswer): void {
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Request-Id': randomUUID(),
    'RateLimit-Remaining': '4500',
    ...answer.headers,
  });
  res.end(JSON.stringify(answer.body));
}
