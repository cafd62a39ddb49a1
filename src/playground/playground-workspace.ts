/** The people, channels and groups of the playground's pretend Slack workspace. */
export const PLAYGROUND_TEAM = { id: 'T0DEMO', name: 'Acme' } as const;
export const PLAYGROUND_BOT = { id: 'U0BOT', botId: 'B0BOT', name: 'pipeline' } as const;
export const PLAYGROUND_USERS = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Archer' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Baker' },
  { id: 'U0CAROL', name: 'carol', realName: 'Carol Chen' },
] as const;
/** Who the demo's setup acts as (the audit log names it); not a person one can switch to. */
export const PLAYGROUND_SETUP_USER = { id: 'U0SETUP', name: 'demo-setup', realName: 'Demo setup' } as const;
export const PLAYGROUND_CHANNELS = [
  { id: 'C0DEPLOY', name: 'deploys', topic: 'Diff, approve and promote here' },
  { id: 'C0RELEASES', name: 'releases', topic: 'Every new release of myapp is announced here' },
] as const;
export const PLAYGROUND_GROUPS = [{ id: 'S0SRE', handle: 'sre', users: ['U0BOB', 'U0CAROL'] }] as const;

export type SlackView = { type?: string; blocks?: unknown[]; [key: string]: unknown };

export type PlaygroundMessage = {
  channel: string;
  ts: string;
  /** Set on a thread reply: the parent's ts. */
  threadTs?: string;
  user: string;
  text: string;
  blocks?: unknown[];
  /** Only this user sees it (ephemeral replies, and the echo of a command they typed). */
  ephemeralTo?: string;
  edited?: boolean;
  replyCount: number;
  command?: boolean;
};

export type PlaygroundModal = { id: string; userId: string; view: SlackView; errors?: Record<string, string> };
export type PlaygroundError = { at: number; text: string };

export type WorkspaceEvent =
  | { name: 'message'; data: PlaygroundMessage }
  | { name: 'home'; data: { userId: string; view: SlackView } }
  | { name: 'modal'; data: PlaygroundModal }
  | { name: 'modal_closed'; data: { id: string } }
  | { name: 'error'; data: PlaygroundError }
  | { name: 'platform'; data: unknown };

const MAX_MESSAGES = 2_000;

/**
 * What the pretend Slack holds: messages (keyed by channel and ts, as Slack keys them), each user's App Home
 * view, the open modals and the errors the page must show. Every change is told to `subscribe`rs (the page's
 * event stream).
 */
export function createWorkspace() {
  const messages: PlaygroundMessage[] = [];
  const homes = new Map<string, SlackView>();
  const modals = new Map<string, PlaygroundModal>();
  const errors: PlaygroundError[] = [];
  const listeners = new Set<(event: WorkspaceEvent) => void>();
  let clock = 0;
  let views = 0;

  const emit = (event: WorkspaceEvent) => {
    for (const listener of listeners) listener(event);
  };
  /** Slack's ts: seconds with a six-digit suffix, increasing within a channel. */
  const nextTs = () => {
    clock = Math.max(clock + 1, Date.now() * 1_000);
    return `${Math.floor(clock / 1_000_000)}.${String(clock % 1_000_000).padStart(6, '0')}`;
  };
  const find = (channel: string, ts: string) => messages.find((m) => m.channel === channel && m.ts === ts);

  function post(message: Omit<PlaygroundMessage, 'ts' | 'replyCount'>): PlaygroundMessage {
    const posted: PlaygroundMessage = { ...message, ts: nextTs(), replyCount: 0 };
    messages.push(posted);
    if (messages.length > MAX_MESSAGES) messages.shift();
    emit({ name: 'message', data: posted });
    const parent = posted.threadTs ? find(posted.channel, posted.threadTs) : undefined;
    if (parent) {
      parent.replyCount++;
      emit({ name: 'message', data: parent });
    }
    return posted;
  }

  function update(channel: string, ts: string, change: Pick<PlaygroundMessage, 'text' | 'blocks'>) {
    const message = find(channel, ts);
    if (!message) return undefined;
    Object.assign(message, change, { edited: true });
    emit({ name: 'message', data: message });
    return message;
  }

  return {
    post,
    update,
    find,
    publishHome(userId: string, view: SlackView) {
      homes.set(userId, view);
      emit({ name: 'home', data: { userId, view } });
    },
    openModal(userId: string, view: SlackView): PlaygroundModal {
      const modal = { id: `V${String(++views).padStart(8, '0')}`, userId, view };
      modals.set(modal.id, modal);
      emit({ name: 'modal', data: modal });
      return modal;
    },
    modal: (id: string) => modals.get(id),
    showModalErrors(id: string, modalErrors: Record<string, string>) {
      const modal = modals.get(id);
      if (!modal) return;
      modal.errors = modalErrors;
      emit({ name: 'modal', data: modal });
    },
    closeModal(id: string) {
      if (modals.delete(id)) emit({ name: 'modal_closed', data: { id } });
    },
    reportError(text: string) {
      const error = { at: Date.now(), text };
      errors.push(error);
      if (errors.length > 200) errors.shift();
      emit({ name: 'error', data: error });
    },
    platformChanged: (platform: unknown) => emit({ name: 'platform', data: platform }),
    subscribe(listener: (event: WorkspaceEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => ({
      team: PLAYGROUND_TEAM,
      bot: { id: PLAYGROUND_BOT.id, name: PLAYGROUND_BOT.name },
      users: PLAYGROUND_USERS,
      setupUser: PLAYGROUND_SETUP_USER,
      channels: PLAYGROUND_CHANNELS,
      groups: PLAYGROUND_GROUPS,
      messages,
      homes: Object.fromEntries(PLAYGROUND_USERS.map((u) => [u.id, homes.get(u.id) ?? null])),
      modals: [...modals.values()],
      errors,
    }),
  };
}

export type Workspace = ReturnType<typeof createWorkspace>;
