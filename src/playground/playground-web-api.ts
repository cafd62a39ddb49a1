import {
  PLAYGROUND_BOT,
  PLAYGROUND_CHANNELS,
  PLAYGROUND_GROUPS,
  PLAYGROUND_TEAM,
  PLAYGROUND_USERS,
  type SlackView,
  type Workspace,
} from './playground-workspace.js';

type Params = Record<string, unknown>;
type Answer = Record<string, unknown>;
type Method = (params: Params) => Answer;

/** What `views.open` needs to know about a trigger: whose click it was, and when (Slack's expire in 3 s). */
export type Triggers = { userOf(triggerId: string): string | undefined };

/** A Slack error answer, as Slack sends it: HTTP 200 with `ok: false`. */
class SlackApiError extends Error {}
const fail = (error: string): never => {
  throw new SlackApiError(error);
};

/**
 * The subset of Slack's Web API the bot calls, answered from the workspace as Slack would. A method the playground
 * does not implement, a wrong token or an `ok: false` answer is reported to the page, so nothing fails unseen.
 */
export function createWebApi(
  workspace: Workspace,
  options: { botToken: string; triggers: Triggers; baseUrl: () => string },
) {
  const methods = webApiMethods(workspace, options);

  return function call(method: string, params: Params, authorization: string | undefined): Answer {
    if (authorization !== `Bearer ${options.botToken}`) {
      workspace.reportError(`${method}: the bot sent a token the playground did not give it (invalid_auth)`);
      return { ok: false, error: 'invalid_auth' };
    }
    const answer = methods[method];
    if (!answer) {
      workspace.reportError(`the bot called ${method}, which the playground does not implement`);
      return { ok: false, error: 'unknown_method' };
    }
    try {
      return { ok: true, ...answer(params) };
    } catch (err) {
      if (!(err instanceof SlackApiError)) throw err;
      workspace.reportError(`${method} answered ${err.message} (${describe(params)})`);
      return { ok: false, error: err.message };
    }
  };
}

function webApiMethods(
  workspace: Workspace,
  options: { triggers: Triggers; baseUrl: () => string },
): Record<string, Method> {
  const channelOf = (params: Params) =>
    PLAYGROUND_CHANNELS.find((c) => c.id === params.channel) ?? fail('channel_not_found');
  const userOf = (id: unknown) => PLAYGROUND_USERS.find((u) => u.id === id) ?? fail('user_not_found');
  const content = (params: Params) => {
    if (typeof params.text !== 'string' && !Array.isArray(params.blocks)) fail('no_text');
    return { text: String(params.text ?? ''), ...(Array.isArray(params.blocks) ? { blocks: params.blocks } : {}) };
  };
  const viewOf = (params: Params): SlackView =>
    params.view && typeof params.view === 'object' ? (params.view as SlackView) : fail('invalid_arguments');

  return {
    'auth.test': () => ({
      url: `${options.baseUrl()}/`,
      team: PLAYGROUND_TEAM.name,
      user: PLAYGROUND_BOT.name,
      team_id: PLAYGROUND_TEAM.id,
      user_id: PLAYGROUND_BOT.id,
      bot_id: PLAYGROUND_BOT.botId,
    }),
    'chat.postMessage': (params) => {
      const channel = channelOf(params);
      const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
      if (threadTs && !workspace.find(channel.id, threadTs)) fail('thread_not_found');
      const posted = workspace.post({ channel: channel.id, user: PLAYGROUND_BOT.id, threadTs, ...content(params) });
      return { channel: channel.id, ts: posted.ts, message: { text: posted.text, ts: posted.ts } };
    },
    'chat.update': (params) => {
      const channel = channelOf(params);
      const existing = workspace.find(channel.id, String(params.ts));
      if (!existing) fail('message_not_found');
      if (existing?.user !== PLAYGROUND_BOT.id) fail('cant_update_message');
      const updated = workspace.update(channel.id, String(params.ts), content(params));
      return { channel: channel.id, ts: updated?.ts, text: updated?.text };
    },
    'chat.postEphemeral': (params) => {
      const channel = channelOf(params);
      const user = userOf(params.user);
      const posted = workspace.post({
        channel: channel.id,
        user: PLAYGROUND_BOT.id,
        ephemeralTo: user.id,
        ...content(params),
      });
      return { message_ts: posted.ts };
    },
    'chat.getPermalink': (params) => {
      const channel = channelOf(params);
      const ts = String(params.message_ts);
      if (!workspace.find(channel.id, ts)) fail('message_not_found');
      return { channel: channel.id, permalink: `${options.baseUrl()}/#${channel.id}/${ts}` };
    },
    'conversations.info': (params) => {
      const channel = channelOf(params);
      return {
        channel: {
          id: channel.id,
          name: channel.name,
          is_channel: true,
          is_private: false,
          is_member: true,
          is_archived: false,
        },
      };
    },
    'users.info': (params) => {
      const user = userOf(params.user);
      return { user: { id: user.id, name: user.name, real_name: user.realName, team_id: PLAYGROUND_TEAM.id } };
    },
    'usergroups.users.list': (params) => {
      const group = PLAYGROUND_GROUPS.find((g) => g.id === params.usergroup) ?? fail('no_such_subteam');
      return { users: group.users };
    },
    'views.open': (params) => {
      const userId = options.triggers.userOf(String(params.trigger_id));
      if (!userId) fail('expired_trigger_id');
      const modal = workspace.openModal(userId as string, viewOf(params));
      return { view: { id: modal.id, ...modal.view } };
    },
    'views.update': (params) => {
      const modal = workspace.modal(String(params.view_id)) ?? fail('not_found');
      modal.view = viewOf(params);
      workspace.showModalErrors(modal.id, {});
      return { view: { id: modal.id, ...modal.view } };
    },
    'views.publish': (params) => {
      const user = userOf(params.user_id);
      const view = viewOf(params);
      if (view.type !== 'home') fail('invalid_arguments');
      workspace.publishHome(user.id, view);
      return { view: { id: `VHOME${user.id}`, ...view } };
    },
  };
}

function describe(params: Params): string {
  const keys = ['channel', 'ts', 'user', 'user_id', 'trigger_id', 'usergroup'].filter((k) => params[k] !== undefined);
  return keys.map((k) => `${k}=${String(params[k])}`).join(', ') || 'no arguments';
}
