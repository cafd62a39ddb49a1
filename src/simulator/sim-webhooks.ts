import { createHmac, randomUUID } from 'node:crypto';
import { releaseJson } from './heroku-json.js';
import type { SimApp, SimRelease, SimState } from './sim-state.js';

/** `apps`: only these apps' releases (all when absent), as a Heroku webhook belongs to one app. */
export type WebhookSubscription = { url: string; secret: string; apps?: string[] };
export type WebhookDelivery = {
  url: string;
  releaseId: string;
  version: number;
  app: string;
  action: 'create' | 'update';
  outcome: string;
};

/** The signature a receiver checks: base64 HMAC-SHA256 of the raw body, keyed with the subscription's secret. */
export function signWebhook(secret: string, rawBody: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * Heroku-style `api:release` app webhooks: every new release is POSTed to every subscriber, signed with
 * `Heroku-Webhook-Hmac-SHA256`, twice as on Heroku (`create`, then an `update` as its status settles).
 * Deliveries run in the background, at once (so they may arrive out of order), each retried twice like a
 * `sync` webhook.
 */
export function createSimWebhooks(state: SimState, closing: AbortSignal, fetchImpl: typeof fetch = fetch) {
  const subscriptions: WebhookSubscription[] = [];
  const deliveries: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<void>>();

  state.onRelease((release, app) => {
    for (const subscription of subscriptions) {
      if (subscription.apps && !subscription.apps.includes(app.name)) continue;
      for (const action of ['create', 'update'] as const) deliver(subscription, action, release, app);
    }
  });

  function deliver(subscription: WebhookSubscription, action: 'create' | 'update', release: SimRelease, app: SimApp) {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      action,
      actor: { email: release.userEmail, id: randomUUID() },
      created_at: release.createdAt.toISOString(),
      data: webhookData(state, release, app),
      previous_data: {},
      published_at: new Date().toISOString(),
      resource: 'release',
      sequence: null,
      updated_at: release.createdAt.toISOString(),
      version: 'application/vnd.heroku+json; version=3',
      webhook_metadata: { delivery: { id }, event: { id: randomUUID(), include: 'api:release' } },
    });
    const record = { url: subscription.url, releaseId: release.id, version: release.version, app: app.name, action };
    const delivery = send(subscription, id, body).then((outcome) => void deliveries.push({ ...record, outcome }));
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  }

  async function send(subscription: WebhookSubscription, id: string, body: string): Promise<string> {
    let outcome = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const response = await fetchImpl(subscription.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Heroku-Webhook-Hmac-SHA256': signWebhook(subscription.secret, body),
            'Heroku-Webhook-Id': id,
            'User-Agent': 'heroku-webhooks (pipeline-bot simulator)',
          },
          body,
          signal: AbortSignal.any([closing, AbortSignal.timeout(5_000)]),
        });
        outcome = `HTTP ${response.status}`;
        if (response.ok) return outcome;
      } catch (err) {
        outcome = `error: ${(err as Error).message}`;
      }
      if (closing.aborted || attempt === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    return outcome;
  }

  return {
    subscribe(subscription: WebhookSubscription) {
      if (!/^https?:\/\//.test(subscription.url) || !subscription.secret) return false;
      subscriptions.push(subscription);
      return true;
    },
    list: () => subscriptions.map(({ url, apps }) => ({ url, ...(apps ? { apps } : {}) })),
    deliveries: () => [...deliveries],
    /** Resolves once every delivery started so far has finished (for tests and shutdown). */
    settled: () => Promise.all([...inFlight]).then(() => undefined),
  };
}

/** A webhook's release carries its slug's commit, which receivers read (`data.slug.commit`). */
function webhookData(state: SimState, release: SimRelease, app: SimApp) {
  const data = releaseJson(release, app, true);
  if (!release.slugId) return data;
  const slug = state.slugOf(app.name, release.slugId);
  return { ...data, slug: { id: slug.id, commit: slug.commit, commit_description: slug.commitDescription } };
}
