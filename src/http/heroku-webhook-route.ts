import type { IncomingMessage } from 'node:http';
import { InvalidInputError } from '../errors.js';
import type { AnnouncedRelease } from '../releases/announcement.js';
import { isSignedBy, readReleaseWebhook } from '../releases/release-webhook.js';
import { type Routes, sendJson } from './create-http-server.js';
import { readBody } from './read-body.js';

/** Release events are a few kilobytes; anything far larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

export type WebhookRouteDeps = {
  /** HEROKU_WEBHOOK_SECRET; without it every delivery is refused, since none can be verified. */
  secret?: string;
  /** `slugId` when the event names the release's build. */
  receive(release: AnnouncedRelease, slugId?: string): Promise<unknown>;
};

/**
 * `POST /webhooks/heroku` (DESIGN §2): the signature is checked over the raw body before anything is parsed or
 * written; unsigned or wrongly signed deliveries get 401 and change nothing.
 */
export function herokuWebhookRoutes(deps: WebhookRouteDeps): Routes {
  return {
    'POST /webhooks/heroku': async (req, res) => {
      if (!deps.secret) {
        return sendJson(res, 503, {
          error: 'webhooks_not_configured',
          message: 'Set HEROKU_WEBHOOK_SECRET to the secret of the app webhooks.',
        });
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      if (!body)
        return sendJson(res, 413, { error: 'too_large', message: `Bodies are limited to ${MAX_BODY_BYTES} bytes.` });
      if (!isSignedBy(deps.secret, body, header(req, 'heroku-webhook-hmac-sha256'))) {
        return sendJson(res, 401, {
          error: 'invalid_signature',
          message: 'Heroku-Webhook-Hmac-SHA256 does not match.',
        });
      }
      try {
        const event = readReleaseWebhook(JSON.parse(body.toString('utf8')));
        if (event.kind === 'ignored') return sendJson(res, 202, { status: 'ignored', reason: event.reason });
        await deps.receive(event.release, event.slugId);
        sendJson(res, 202, { status: 'accepted' });
      } catch (err) {
        if (!(err instanceof SyntaxError || err instanceof InvalidInputError)) throw err;
        sendJson(res, 400, { error: 'invalid_body', message: err.message });
      }
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
