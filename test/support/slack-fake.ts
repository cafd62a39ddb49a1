import { createServer, type IncomingMessage, type Server } from 'node:http';
import { listen } from '../../src/http/create-http-server.js';
import { webApiParams } from '../../src/playground/web-api-params.js';

/** `failed`: what the fake answered instead of success (an injected failure). */
/** `answer`: what the fake answered (a posted message's `ts`, say). */
export type SlackCall = {
  method: string;
  params: Record<string, unknown>;
  at: number;
  failed?: string;
  answer?: Record<string, unknown>;
};
/** `channel`: fail only calls about this channel. */
/** `okWithout`: answer ok, but leave that field out of the answer (as Slack has been seen to). */
export type SlackFailure = {
  error?: string;
  status?: number;
  retryAfter?: number;
  times?: number;
  channel?: string;
  okWithout?: string;
};
/** What `conversations.info` says of a channel; `hidden`: a private channel the bot is not in (channel_not_found). */
export type FakeChannel = { is_private?: boolean; is_member?: boolean; is_archived?: boolean; hidden?: boolean };

/**
 * A local stand-in for Slack's Web API and `response_url`s: records every call, answers the methods the bot uses
 * as Slack does, and fails on demand (`ok:false` errors, 429 with Retry-After, 500). Point SLACK_API_URL at `api`.
 */
export async function startSlackFake(
  options: { teamId?: string; groups?: Record<string, string[]>; socketUrl?: () => string } = {},
) {
  const calls: SlackCall[] = [];
  const responses: { id: string; body: Record<string, unknown> }[] = [];
  const failures = new Map<string, SlackFailure>();
  const channels = new Map<string, FakeChannel>();
  let ts = 1_700_000_000_000;
  const nextTs = () => `${Math.floor(++ts / 1000)}.${String(ts % 1_000_000).padStart(6, '0')}`;

  const answers: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ user_id: 'U0BOT', bot_id: 'B0BOT', team_id: options.teamId ?? 'T0ACME', user: 'pipeline' }),
    'chat.postMessage': (p) => ({ channel: p.channel, ts: nextTs(), message: { text: p.text } }),
    'chat.update': (p) => ({ channel: p.channel, ts: p.ts, text: p.text }),
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'chat.getPermalink': (p) => ({
      channel: p.channel,
      permalink: `https://acme.slack.com/archives/${p.channel}/p${String(p.message_ts).replace('.', '')}`,
    }),
    'conversations.info': (p) => {
      const { hidden: _, ...channel } = channels.get(String(p.channel)) ?? {};
      return { channel: { id: p.channel, is_private: false, is_member: true, is_archived: false, ...channel } };
    },
    'views.open': () => ({ view: { id: `V${ts}` } }),
    'views.publish': () => ({ view: { id: `V${ts}` } }),
    'usergroups.users.list': (p) => ({ users: options.groups?.[String(p.usergroup)] ?? [] }),
    // Socket Mode: where to open the WebSocket (a test's own server).
    'apps.connections.open': () => ({ url: options.socketUrl?.() ?? 'ws://127.0.0.1:9/' }),
  };

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/response/')) {
      responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(body || '{}') });
      return void res.writeHead(200).end('ok');
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const params = webApiParams(req, body);
    const call: SlackCall = { method, params, at: Date.now() };
    calls.push(call);
    if (method === 'conversations.info' && channels.get(String(params.channel))?.hidden) {
      return void json(res, { ok: false, error: 'channel_not_found' });
    }
    const failure = failures.get(method);
    const applies = failure && (failure.channel === undefined || failure.channel === params.channel);
    if (failure && applies && (failure.times ?? 1) > 0) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.okWithout) {
        const { [failure.okWithout]: _left, ...rest } = answers[method]?.(params) ?? {};
        call.answer = rest;
        return void json(res, { ok: true, ...rest });
      }
      call.failed = failure.status ? `HTTP ${failure.status}` : (failure.error ?? 'fatal_error');
      if (failure.status === 429) {
        return void res
          .writeHead(429, { 'Retry-After': String(failure.retryAfter ?? 1), 'Content-Type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      if (failure.status) return void res.writeHead(failure.status).end('server error');
      return void json(res, { ok: false, error: failure.error ?? 'fatal_error' });
    }
    const answer = answers[method];
    call.answer = answer?.(params);
    json(res, call.answer ? { ok: true, ...call.answer } : { ok: false, error: 'unknown_method' });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;

  return {
    api: `${url}/api/`,
    /** A `response_url` for one slash command or action; what is posted to it lands in `responses`. */
    responseUrl: (id: string) => `${url}/response/${id}`,
    calls,
    responses,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    responsesTo: (id: string) => responses.filter((r) => r.id === id).map((r) => r.body),
    fail: (method: string, failure: SlackFailure) => void failures.set(method, failure),
    channels,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SlackFake = Awaited<ReturnType<typeof startSlackFake>>;

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

function json(res: import('node:http').ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
