import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/create-http-server.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { type Simulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { simControl } from '../support/sim-control.js';

const SECRET = 'whsec-test';
type Received = { raw: string; signature: string };
const received: Received[] = [];
let receiver: Server;
let hookUrl = '';
let sim: Simulator;

/** What a receiver must do: HMAC the raw bytes with the shared secret, base64, compare in constant time. */
function verify(raw: string, signature: string, secret: string): boolean {
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('base64'));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        raw: Buffer.concat(chunks).toString(),
        signature: String(req.headers['heroku-webhook-hmac-sha256']),
      });
      res.writeHead(204).end();
    });
  });
  hookUrl = `http://127.0.0.1:${await listen(receiver, 0, '127.0.0.1')}/webhooks/heroku`;
  sim = await startSimulator({ token: 't' });
});
afterAll(async () => {
  await sim.close();
  receiver.close();
});

describe('simulator app webhooks', () => {
  it('POSTs every new release as a signed api:release webhook, created then updated as on Heroku', async () => {
    const control = simControl(sim.url);
    await control.webhook(hookUrl, SECRET);
    await control.addApp('myapp-staging');
    await control.deploy('myapp-staging', 'A super important fix');
    await waitFor('four deliveries', () => (received.length >= 4 ? true : undefined));

    for (const delivery of received) expect(verify(delivery.raw, delivery.signature, SECRET)).toBe(true);
    const bodies = received.map((d) => JSON.parse(d.raw));
    const seen = bodies.map((b) => [b.resource, b.action, b.data.app.name, b.data.version, b.data.description]);
    expect(seen).toHaveLength(4);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['release', 'create', 'myapp-staging', 1, 'Initial release'],
        ['release', 'update', 'myapp-staging', 1, 'Initial release'],
        ['release', 'create', 'myapp-staging', 2, expect.stringMatching(/^Deploy [0-9a-f]{7}$/)],
        ['release', 'update', 'myapp-staging', 2, expect.stringMatching(/^Deploy [0-9a-f]{7}$/)],
      ]),
    );
    const deploy = bodies.find((b) => b.data.version === 2);
    expect(deploy.data).toMatchObject({
      status: 'succeeded',
      current: true,
      slug: {
        id: expect.any(String),
        commit: expect.stringMatching(/^[0-9a-f]{40}$/),
        commit_description: 'A super important fix',
      },
    });
  });

  it('signs so that a changed body, a wrong secret or a re-serialised body fails verification', () => {
    const delivery = received.find((d) => d.raw.includes('"version":2')) as Received;
    expect(verify(delivery.raw.replace('"version":2', '"version":3'), delivery.signature, SECRET)).toBe(false);
    expect(verify(delivery.raw, delivery.signature, 'another-secret')).toBe(false);
    expect(verify(JSON.stringify(JSON.parse(delivery.raw), null, 2), delivery.signature, SECRET)).toBe(false);
  });

  it('sends a subscription limited to some apps only their releases', async () => {
    const control = simControl(sim.url);
    const before = received.length;
    await control.webhook(`${hookUrl}?only=billing`, SECRET, ['billing']);
    await control.addApp('billing');
    await control.deploy('myapp-staging', 'Not for the billing hook');
    await waitFor('the deliveries', () => (sim.webhooks.deliveries().length >= 10 ? true : undefined));
    const billingHook = sim.webhooks.deliveries().filter((d) => d.url.endsWith('?only=billing'));
    expect(billingHook.map((d) => [d.app, d.version]).sort()).toEqual([
      ['billing', 1],
      ['billing', 1],
    ]);
    expect(received.length - before).toBe(6);
  });

  it('refuses a subscription without an http(s) url or a secret', async () => {
    await expect(simControl(sim.url).webhook('ftp://x', SECRET)).rejects.toThrow(/422/);
    await expect(simControl(sim.url).webhook(hookUrl, '')).rejects.toThrow(/422/);
    await expect(simControl(sim.url).webhook(hookUrl, SECRET, 'billing' as never)).rejects.toThrow(/422/);
  });
});
