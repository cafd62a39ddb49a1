import { AppError, UserError } from '../errors.js';
import { SimError } from '../simulator/sim-error.js';
import { escapeMentions } from './escape-mentions.js';
import type { PlatformPanel } from './platform-panel.js';
import { PLAYGROUND_BOT, PLAYGROUND_CHANNELS, PLAYGROUND_USERS, type Workspace } from './playground-workspace.js';
import type { BotAnswer, SlackDelivery, ViewValues } from './slack-delivery.js';

type Body = Record<string, unknown>;
type UiAnswer = { ok: true } | { ok: false; error: string; errors?: Record<string, string> };
type Deps = { workspace: Workspace; delivery: SlackDelivery; platform?: PlatformPanel };

/**
 * What the page asks for: each person's action becomes the request Slack would send the bot; the answer tells
 * the page whether the bot took it. Answers to `response_url`s land in the channel as Slack shows them.
 */
export function uiRoutes({ workspace, delivery, platform }: Deps) {
  const userOf = (body: Body) => known(PLAYGROUND_USERS, body.userId, 'user');
  const channelOf = (body: Body) => known(PLAYGROUND_CHANNELS, body.channelId, 'channel');
  const refused = (what: string, answer: BotAnswer): UiAnswer => {
    const error = `The bot answered HTTP ${answer.status} to ${what}${answer.body ? `: ${answer.body.slice(0, 300)}` : ''}`;
    workspace.reportError(error);
    return { ok: false, error };
  };
  const panel = () => platform ?? fail('The bot runs against real Heroku here: the platform controls are off.');

  const routes: Record<string, (body: Body) => Promise<UiAnswer>> = {
    '/ui/command': async (body) => {
      const [user, channel] = [userOf(body), channelOf(body)];
      const text = String(body.text ?? '')
        .replace(/^\s*\/pipeline\b/, '')
        .trim();
      workspace.post({
        channel: channel.id,
        user: user.id,
        text: `/pipeline ${text}`.trim(),
        ephemeralTo: user.id,
        command: true,
      });
      const answer = await delivery.command(user.id, channel.id, escapeMentions(text));
      return answer.status === 200 ? { ok: true } : refused(`/pipeline ${text}`, answer);
    },
    '/ui/message': async (body) => {
      const [user, channel] = [userOf(body), channelOf(body)];
      const text = String(body.text ?? '').trim();
      if (!text) return fail('Write something first.');
      workspace.post({ channel: channel.id, user: user.id, text: escapeMentions(text).slice(0, 4_000) });
      return { ok: true };
    },
    '/ui/action': async (body) => {
      const [user, channel] = [userOf(body), channelOf(body)];
      const message = workspace.find(channel.id, String(body.messageTs)) ?? fail('That message is gone.');
      const click = {
        action_id: String(body.actionId),
        block_id: String(body.blockId ?? ''),
        value: String(body.value ?? ''),
      };
      const answer = await delivery.click(user.id, channel.id, message.ts, click);
      return answer.status === 200 ? { ok: true } : refused(`a click on ${click.action_id}`, answer);
    },
    '/ui/view-submit': async (body) => {
      const user = userOf(body);
      const modal = workspace.modal(String(body.viewId));
      if (!modal || modal.userId !== user.id) return fail('That form is closed.');
      const values = (body.values ?? {}) as ViewValues;
      const answer = await delivery.submitView(user.id, { id: modal.id, ...modal.view }, values);
      if (answer.status !== 200) return refused('the form', answer);
      const reply = answer.body
        ? (JSON.parse(answer.body) as { response_action?: string; errors?: Record<string, string> })
        : {};
      if (reply.response_action === 'errors' && reply.errors) {
        workspace.showModalErrors(modal.id, reply.errors);
        return { ok: false, error: 'The bot refused the form.', errors: reply.errors };
      }
      workspace.closeModal(modal.id);
      return { ok: true };
    },
    '/ui/view-close': async (body) => {
      workspace.closeModal(String(body.viewId));
      return { ok: true };
    },
    '/ui/home': async (body) => {
      const user = userOf(body);
      const answer = await delivery.openHome(user.id);
      return answer.status === 200 ? { ok: true } : refused('opening the App Home', answer);
    },
    '/ui/platform/deploy': async (body) => {
      panel().deploy(String(body.app), String(body.message ?? ''), String(body.author ?? 'Someone'));
      return { ok: true };
    },
    '/ui/platform/rollback': async (body) => {
      await panel().rollback(String(body.app), Number(body.version));
      return { ok: true };
    },
    '/ui/platform/fault': async (body) => {
      panel().failNext(Number(body.times ?? 3), Number(body.status ?? 503));
      return { ok: true };
    },
    '/ui/platform/fault-clear': async () => {
      panel().clearFaults();
      return { ok: true };
    },
  };

  return {
    routes: Object.fromEntries(Object.entries(routes).map(([path, handle]) => [path, refusalsAsAnswers(handle)])),
    /** An answer the bot posted to a `response_url`: ephemeral by default, in the channel when it says so. */
    respond(id: string, body: Body): [number, object] {
      const target = delivery.responseTarget(id);
      if (!target) {
        workspace.reportError('the bot posted to a response_url the playground never gave out');
        return [404, { ok: false, error: 'expired_url' }];
      }
      const content = { text: String(body.text ?? ''), ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}) };
      if (body.delete_original === true || body.delete_original === 'true') {
        workspace.reportError('the bot asked to delete a message, which the playground does not implement');
        return [200, { ok: false, error: 'not_implemented' }];
      }
      if ((body.replace_original === true || body.replace_original === 'true') && target.messageTs) {
        workspace.update(target.channelId, target.messageTs, content);
        return [200, { ok: true }];
      }
      const inChannel = body.response_type === 'in_channel';
      workspace.post({
        channel: target.channelId,
        user: PLAYGROUND_BOT.id,
        ...content,
        ...(inChannel ? {} : { ephemeralTo: target.userId }),
      });
      return [200, { ok: true }];
    },
  };
}

/** Refusals (unknown user, an app the simulator lacks, …) go back to the page as a message, not a 500. */
function refusalsAsAnswers(handle: (body: Body) => Promise<UiAnswer>) {
  return async (body: Body): Promise<UiAnswer> => {
    try {
      return await handle(body);
    } catch (err) {
      if (err instanceof AppError || err instanceof SimError) return { ok: false, error: err.message };
      throw err;
    }
  };
}

class PlaygroundRefusal extends UserError {
  readonly code = 'playground_refused';
}

function fail(message: string): never {
  throw new PlaygroundRefusal(message);
}

function known<T extends { id: string }>(list: readonly T[], id: unknown, what: string): T {
  return list.find((item) => item.id === id) ?? fail(`The playground has no ${what} ${String(id)}.`);
}
