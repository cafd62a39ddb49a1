import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { listen, sendJson } from '../http/create-http-server.js';
import { readBody } from '../http/read-body.js';
import type { PlatformPanel } from './platform-panel.js';
import { createWebApi } from './playground-web-api.js';
import { createWorkspace, type WorkspaceEvent } from './playground-workspace.js';
import { createSlackDelivery } from './slack-delivery.js';
import { uiRoutes } from './ui-routes.js';
import { jsonObject, webApiParams } from './web-api-params.js';

export type PlaygroundOptions = {
  port: number;
  /** Where the bot's web role listens; its `/slack/events` gets the playground's signed requests. */
  botUrl: string;
  signingSecret: string;
  /** The bot token the playground accepts on Web API calls (the bot's SLACK_BOT_TOKEN). */
  botToken: string;
  /** The simulated platform's dashboard; absent when the bot runs against real Heroku. */
  platform?: PlatformPanel;
  /** Where problems are logged (besides the page): the demo's terminal. */
  log: (line: string) => void;
};

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
/** The page's files, and nothing else from disk. */
const PAGE_FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/playground.css': ['playground.css', 'text/css; charset=utf-8'],
  '/playground.js': ['playground.js', 'text/javascript; charset=utf-8'],
  '/render-blocks.js': ['render-blocks.js', 'text/javascript; charset=utf-8'],
  '/render-mrkdwn.js': ['render-mrkdwn.js', 'text/javascript; charset=utf-8'],
};
const MAX_BODY = 1_000_000;
const HEARTBEAT_MS = 20_000;

/**
 * The playground: a local stand-in for a Slack workspace. The bot's SLACK_API_URL points at `/api/`, and what a
 * person does on the page reaches the bot as Slack's own signed requests, so the bot runs its real HTTP path.
 */
export async function startPlayground(options: PlaygroundOptions) {
  const workspace = createWorkspace();
  let url = '';
  const delivery = createSlackDelivery({
    botUrl: options.botUrl,
    signingSecret: options.signingSecret,
    baseUrl: () => url,
  });
  const webApi = createWebApi(workspace, {
    botToken: options.botToken,
    triggers: delivery.triggers,
    baseUrl: () => url,
  });
  const ui = uiRoutes({ workspace, delivery, platform: options.platform });
  const streams = new Set<ServerResponse>();

  workspace.subscribe((event) => {
    if (event.name === 'error') options.log(`playground: ${event.data.text}`);
    for (const res of streams) writeEvent(res, event);
  });
  options.platform?.onChange(() => workspace.platformChanged(options.platform?.snapshot()));

  const server = createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      options.log(`playground: ${req.method} ${req.url} failed: ${err.stack ?? err.message}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: err.message });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://playground').pathname;
    const page = PAGE_FILES[path];
    if (req.method === 'GET' && page) return servePage(res, ...page);
    if (req.method === 'GET' && path === '/state') return sendJson(res, 200, state());
    if (req.method === 'GET' && path === '/events') return openStream(req, res);
    if (req.method !== 'POST') return sendJson(res, 404, { ok: false, error: `No route for ${req.method} ${path}` });
    const raw = await readBody(req, MAX_BODY);
    if (!raw) return sendJson(res, 413, { ok: false, error: 'request body over 1 MB' });
    const body = raw.toString();
    if (path.startsWith('/api/')) {
      const answer = webApi(path.slice('/api/'.length), webApiParams(req, body), req.headers.authorization);
      return sendJson(res, 200, answer);
    }
    if (path.startsWith('/response/'))
      return sendJson(res, ...ui.respond(path.slice('/response/'.length), jsonObject(body)));
    const handle = ui.routes[path];
    if (!handle) return sendJson(res, 404, { ok: false, error: `No route for POST ${path}` });
    // Only the page's own fetches: another site's form or plain POST cannot send JSON without asking first (CORS).
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, { ok: false, error: 'The playground takes JSON only.' });
    }
    sendJson(res, 200, await handle(jsonObject(body)));
  }

  function state() {
    return {
      ...workspace.snapshot(),
      platform: options.platform?.snapshot() ?? null,
      hint: 'Type /pipeline show, then /pipeline diff myapp-staging',
    };
  }

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    streams.add(res);
    // A comment now and then keeps idle proxies and browsers from dropping a quiet stream.
    const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  }

  const port = await listen(server, options.port, '127.0.0.1');
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    /** Where the bot's Web API client must point (SLACK_API_URL). */
    apiUrl: `${url}/api/`,
    workspace,
    delivery,
    close: async () => {
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Playground = Awaited<ReturnType<typeof startPlayground>>;

function writeEvent(res: ServerResponse, event: WorkspaceEvent): void {
  res.write(`event: ${event.name}\ndata: ${JSON.stringify(event.data)}\n\n`);
}

async function servePage(res: ServerResponse, file: string, type: string): Promise<void> {
  const content = await readFile(`${PAGE_DIR}${file}`);
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(content);
}
