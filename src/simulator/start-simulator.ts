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
  const closing = new AbortController();
  const webhooks = createSimWebhooks(state, closing.signal);
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
    let api: SimRoute['auth'] | undefined;
    let fault: FaultRule | undefined;
    try {
      const path = new URL(req.url ?? '/', 'http://sim').pathname;
      const method = req.method ?? 'GET';
      const match = matchRoute(routes, method, path);
      api = match?.route.auth ?? (path.startsWith('/github/') ? 'github' : 'heroku');
      // Credentials first, as the real APIs check them; then the faults, which stand for the platform misbehaving.
      if (match) authorize(match.route, req, options.token);
      fault = api === 'control' ? undefined : faults.take(method, path);
      if (fault?.latencyMs) await sleep(fault.latencyMs, closing.signal);
      if (fault?.status) throw faultError({ ...fault, status: fault.status });
      if (!match) throw new SimError(404, 'not_found', `The simulator has no route ${method} ${path}.`);
      const body = await readJson(req);
      // Heroku can be that slow: the write lands long after the client gave up waiting for its answer.
      const work = () => match.route.handle({ params: match.params, body, headers: req.headers });
      const late = fault?.applyLateMs;
      const answer = late ? await faults.late(() => sleep(late, closing.signal).then(work)) : work();
      // The change is made; a "lost response" closes the connection instead of answering.
      if (fault?.dropResponse) return void req.socket.destroy();
      if (fault?.holdResponseMs) await sleep(fault.holdResponseMs, closing.signal);
      send(res, answer);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) send(res, errorAnswer(err, api, fault));
    }
  }

  return {
    url,
    state,
    faults,
    webhooks,
    close: async () => {
      closing.abort();
      await webhooks.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matchRoute(routes: SimRoute[], method: string, path: string) {
  for (const route of routes) {
    const found = route.method === method ? route.pattern.exec(path) : null;
    if (!found) continue;
    try {
      return { route, params: found.slice(1).map(decodeURIComponent) };
    } catch {
      throw new SimError(400, 'bad_request', `The path ${path} is not valid percent-encoding.`);
    }
  }
  return undefined;
}

/** Resolves after `ms`, or at once when the simulator closes (so a pending fault delay never holds it open). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
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
