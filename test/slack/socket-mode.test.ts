import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { waitFor } from '../../src/local-services/wait-for.js';
import { createCardPublisher } from '../../src/slack/card-publisher.js';
import { createSlackApp, type SlackApp } from '../../src/slack/create-slack-app.js';
import { createSlackClient } from '../../src/slack/create-slack-client.js';
import { type Harness, startHarness } from '../support/promotion-harness.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';

// Socket Mode (SLACK_APP_TOKEN set): the bot dials out to Slack's WebSocket instead of receiving HTTP; here the
// socket is a local server that plays Slack's part of the protocol.
let h: Harness;
let fake: SlackFake;
let server: WebSocketServer;
let bot: SlackApp;
let socket: WebSocket | undefined;
const fromBot: { envelope_id?: string }[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => fromBot.push(JSON.parse(String(data))));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0PIPE' } }));
  });
  h = await startHarness('socketmode', { realTime: true });
  fake = await startSlackFake({ socketUrl: () => `ws://127.0.0.1:${port}/` });
  const config = { ...h.deps.config, slack: { ...h.deps.config.slack, apiUrl: fake.api, appToken: 'xapp-1-test' } };
  const cards = createCardPublisher({
    client: createSlackClient(config, { retries: 0 }),
    db: h.deps.db,
    ...h.deps.stores,
    logger: h.deps.logger,
  });
  bot = createSlackApp(
    {
      ...h.deps,
      ...h.deps.ports,
      audit: h.deps.stores.audit,
      promotionStore: h.deps.stores.promotions,
      apps: h.deps.stores.apps,
      cards,
      config,
    },
    { retries: 0 },
  );
  await bot.start();
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  server?.close();
  await fake?.close();
  await h?.stop();
});

describe('Socket Mode', () => {
  it('takes /pipeline over the socket: acks the envelope and answers at the response_url', async () => {
    expect(bot.requestListener).toBeUndefined();
    await waitFor('the bot to connect', () => socket);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    socket?.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          team_id: 'T0ACME',
          channel_id: 'C0DEPLOY',
          user_id: 'U0ANA',
          command: '/pipeline',
          text: 'show myapp',
          api_app_id: 'A0PIPE',
          trigger_id: 'sock.trigger',
          response_url: fake.responseUrl('sock-1'),
        },
      }),
    );
    await waitFor('the ack', () => fromBot.find((m) => m.envelope_id === 'env-1'));
    const answer = await waitFor('the answer', () => fake.responsesTo('sock-1')[0] as { text: string } | undefined);
    expect(answer.text).toContain('Pipeline: myapp-jim-dev ---+');
  });
});
