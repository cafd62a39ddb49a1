// The Slack playground page: one copy of the server's state, kept current by Server-Sent Events and drawn
// into a few regions. Forms the user types into (composer, push form, modal inputs) are never redrawn
// behind their back, so an event arriving mid-typing loses nothing.
import { renderBlocks, renderText, renderView } from './render-blocks.js';
import { escapeHtml as esc, formatDate, renderMrkdwn } from './render-mrkdwn.js';

const $ = (id) => document.getElementById(id);
const EVENTS = ['message', 'delete', 'home', 'modal', 'modal_closed', 'error', 'platform'];
const COLORS = ['#e8912d', '#2bac76', '#1d9bd1', '#e01e5a', '#8e44ad', '#36c5f0', '#ecb22e', '#4a154b'];

const ui = {
  data: null, // the last GET /state, updated in place by events
  userId: null,
  place: { kind: 'channel', id: null }, // or { kind: 'home' }
  thread: null, // { channel, ts } of the open thread
  dismissed: new Set(), // ephemeral messages the user closed (local only, as in Slack)
  unread: new Set(),
  flash: new Set(),
  loading: null, // the /state fetch in flight; events wait for it so none is lost or applied twice
  queued: [],
  drawnPlace: '',
  modalKey: '', // what the modal was last drawn from
  modalId: null,
  usersKey: '',
  confirm: null, // resolves the open confirm dialog
};

const key = (m) => `${m.channel}/${m.ts}`;
const isReply = (m) => Boolean(m.threadTs) && m.threadTs !== m.ts;

// ---- server state -------------------------------------------------------------------------------------

async function loadState() {
  const loading = fetch('/state').then((r) => {
    if (!r.ok) throw new Error(`GET /state answered ${r.status}`);
    return r.json();
  });
  ui.loading = loading;
  try {
    const data = await loading;
    if (ui.loading !== loading) return; // a newer load started meanwhile
    ui.data = { messages: [], homes: {}, modals: [], errors: [], channels: [], users: [], groups: [], ...data };
    pickDefaults();
    for (const [name, payload] of ui.queued.splice(0)) APPLY[name](payload);
  } catch (err) {
    toast(`Could not load the playground state: ${err.message}`);
  } finally {
    if (ui.loading === loading) ui.loading = null;
  }
  render();
}

function pickDefaults() {
  const { users, channels } = ui.data;
  if (!users.some((u) => u.id === ui.userId)) ui.userId = users[0]?.id ?? null;
  if (ui.place.kind === 'channel' && !channels.some((c) => c.id === ui.place.id)) {
    ui.place = { kind: 'channel', id: channels[0]?.id ?? null };
  }
}

function onEvent(name, payload) {
  if (!ui.data || ui.loading) {
    ui.queued.push([name, payload]);
    return;
  }
  APPLY[name](payload);
  render();
}

const APPLY = {
  message(m) {
    const list = ui.data.messages;
    const i = list.findIndex((x) => key(x) === key(m));
    if (i >= 0) {
      list[i] = m;
      ui.flash.add(key(m));
      return;
    }
    list.push(m);
    const here = ui.place.kind === 'channel' && ui.place.id === m.channel;
    if (!here && !isReply(m) && visible(m)) ui.unread.add(m.channel);
  },
  delete({ channel, ts }) {
    ui.data.messages = ui.data.messages.filter((m) => !(m.channel === channel && m.ts === ts));
  },
  home({ userId, view }) {
    ui.data.homes[userId] = view;
  },
  modal(modal) {
    ui.data.modals = [...ui.data.modals.filter((m) => m.id !== modal.id), modal];
  },
  modal_closed({ id }) {
    ui.data.modals = ui.data.modals.filter((m) => m.id !== id);
  },
  error(e) {
    if (!ui.data.errors.some((x) => x.at === e.at && x.text === e.text)) ui.data.errors.push(e);
  },
  platform(p) {
    ui.data.platform = p;
  },
};

function connect() {
  const source = new EventSource('/events');
  // Every (re)connect may have missed events: start again from a fresh /state.
  source.addEventListener('open', () => {
    setConnection(true);
    loadState();
  });
  source.addEventListener('reset', () => loadState());
  for (const name of EVENTS) {
    source.addEventListener(name, (event) => {
      // EventSource also fires a plain `error` Event when the connection drops; only ours carry data.
      if (typeof event.data !== 'string') return setConnection(false);
      try {
        onEvent(name, JSON.parse(event.data));
      } catch (err) {
        toast(`Bad "${name}" event from the server: ${err.message}`);
      }
    });
  }
}

/** POSTs JSON; a failure of any kind comes back as `{ ok: false, error }` and is shown unless it carries `errors`. */
async function post(path, body) {
  let answer;
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    answer = await response.json().catch(() => ({ ok: false, error: `${path} answered ${response.status}` }));
  } catch (err) {
    answer = { ok: false, error: `${path} failed: ${err.message}` };
  }
  if (!answer.ok && !answer.errors) toast(answer.error ?? `${path} failed`);
  return answer;
}

// ---- helpers ------------------------------------------------------------------------------------------

function ctx() {
  const d = ui.data;
  const users = new Map(d.users.map((u) => [u.id, u.realName || u.name || u.id]));
  if (d.bot) users.set(d.bot.id, d.bot.name);
  // Who the demo's setup acted as: named in the audit history, not someone to switch to.
  if (d.setupUser) users.set(d.setupUser.id, d.setupUser.realName);
  return {
    users,
    channels: new Map(d.channels.map((c) => [c.id, c.name])),
    groups: new Map(d.groups.map((g) => [g.id, g.handle])),
    now: new Date(),
  };
}

function visible(m) {
  if (ui.dismissed.has(key(m))) return false;
  if (m.command) return m.user === ui.userId || m.ephemeralTo === ui.userId;
  return !m.ephemeralTo || m.ephemeralTo === ui.userId;
}

const currentUser = () => ui.data.users.find((u) => u.id === ui.userId);
const currentChannel = () => ui.data.channels.find((c) => c.id === ui.place.id);
const currentModal = () => ui.data.modals.filter((m) => m.userId === ui.userId).at(-1);

function hhmm(date) {
  return formatDate('time', date, date);
}

function avatarColor(id) {
  const sum = [...String(id)].reduce((n, ch) => n + ch.charCodeAt(0), 0);
  return COLORS[sum % COLORS.length];
}

function avatar(id, name) {
  const initial = esc((name || '?').slice(0, 1).toUpperCase());
  return `<span class="avatar" style="background:${avatarColor(id)}" aria-hidden="true">${initial}</span>`;
}

function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    el.hidden = true;
  }, 6000);
}

function setConnection(live) {
  $('connection').textContent = live ? '● live' : 'reconnecting…';
  $('connection').classList.toggle('offline', !live);
}

function setHint(text, warn = false) {
  $('composer-hint').textContent = text ?? ui.data?.hint ?? 'Type /pipeline show';
  $('composer-hint').classList.toggle('warn', warn);
}

// ---- drawing ------------------------------------------------------------------------------------------

function render() {
  if (!ui.data) return;
  const c = ctx();
  renderSidebar();
  renderCenter(c);
  renderRight(c);
  renderModal(c);
  renderErrors();
  ui.flash.clear();
}

function renderSidebar() {
  const d = ui.data;
  $('workspace').textContent = d.team?.name ?? 'Slack playground';
  $('channel-list').innerHTML = d.channels
    .map((ch) => {
      const active = ui.place.kind === 'channel' && ui.place.id === ch.id;
      const dot = ui.unread.has(ch.id) ? '<span class="unread-dot" title="New messages"></span>' : '';
      return `<li><button type="button" class="nav-item${active ? ' active' : ''}" data-nav-channel="${esc(ch.id)}"
        data-testid="channel-${esc(ch.name)}"${active ? ' aria-current="page"' : ''}><span class="hash">#</span> ${esc(ch.name)}${dot}</button></li>`;
    })
    .join('');
  $('home-button').classList.toggle('active', ui.place.kind === 'home');
  const usersKey = JSON.stringify(d.users);
  if (usersKey !== ui.usersKey) {
    $('user-select').innerHTML = d.users
      .map((u) => `<option value="${esc(u.id)}">${esc(u.realName || u.name)}</option>`)
      .join('');
    ui.usersKey = usersKey;
  }
  $('user-select').value = ui.userId ?? '';
  $('user-avatar').style.background = avatarColor(ui.userId);
  $('user-avatar').textContent = (currentUser()?.realName ?? '?').slice(0, 1);
}

function renderCenter(c) {
  const home = ui.place.kind === 'home';
  const channel = currentChannel();
  $('center-title').textContent = home ? `App Home · ${ui.data.bot?.name ?? 'bot'}` : `# ${channel?.name ?? ''}`;
  $('center-topic').textContent = home
    ? `What ${currentUser()?.realName ?? 'you'} sees in the app's Home tab`
    : (channel?.topic ?? '');
  $('composer-form').hidden = home;
  const list = $('messages');
  const place = home ? `home:${ui.userId}` : `channel:${ui.place.id}`;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const top = list.scrollTop;
  list.innerHTML = home ? homeHtml(c) : channelHtml(c, channel);
  // Follow new messages only if the reader was already at the bottom (or just arrived here).
  list.scrollTop = place !== ui.drawnPlace || (atBottom && !home) ? (home ? 0 : list.scrollHeight) : top;
  ui.drawnPlace = place;
}

function homeHtml(c) {
  const view = ui.data.homes?.[ui.userId];
  return view
    ? `<div class="home">${renderView(view, c).html}</div>`
    : '<div class="empty">Nothing published yet</div>';
}

function channelHtml(c, channel) {
  const shown = ui.data.messages.filter((m) => m.channel === ui.place.id && !isReply(m) && visible(m));
  if (!shown.length) return `<div class="empty">No messages in #${esc(channel?.name ?? '')} yet.</div>`;
  return shown.map((m) => card(m, c, false)).join('');
}

function card(m, c, inThread) {
  const bot = m.user === ui.data.bot?.id;
  const name = c.users.get(m.user) ?? m.user;
  const classes = ['message'];
  if (m.ephemeralTo && !m.command) classes.push('ephemeral');
  if (m.command) classes.push('command');
  if (ui.flash.has(key(m))) classes.push('flash');
  const privateNote =
    m.ephemeralTo || m.command
      ? '<div class="only-you">Only visible to you <button type="button" class="dismiss" data-dismiss aria-label="Dismiss message">×</button></div>'
      : '';
  const body = m.command
    ? `<div class="command-text">${esc(m.text)}</div>`
    : m.blocks?.length
      ? renderBlocks(m.blocks, c)
      : `<div class="text">${renderMrkdwn(m.text, c)}</div>`;
  const n = m.replyCount ?? 0;
  const replies =
    !inThread && n > 0
      ? `<button type="button" class="replies" data-thread="${esc(m.ts)}" data-testid="replies-${esc(m.ts)}">${n} ${n === 1 ? 'reply' : 'replies'}</button>`
      : '';
  const at = new Date(Number(m.ts.split('.')[0]) * 1000);
  return `<div class="${classes.join(' ')}" data-channel="${esc(m.channel)}" data-ts="${esc(m.ts)}" data-user="${esc(m.user)}">
    ${avatar(m.user, name)}
    <div class="message-main">
      <div class="message-meta"><span class="author">${esc(name)}</span>${bot ? '<span class="app-tag">APP</span>' : ''}
        <time datetime="${at.toISOString()}">${hhmm(at)}</time>${m.edited ? '<span class="edited">(edited)</span>' : ''}</div>
      ${privateNote}<div class="message-body">${body}</div>${replies}
    </div></div>`;
}

function renderRight(c) {
  const t = ui.thread;
  const parent = t && ui.data.messages.find((m) => m.channel === t.channel && m.ts === t.ts);
  if (!parent) ui.thread = null;
  $('thread').hidden = !parent;
  $('platform').hidden = Boolean(parent);
  $('platform-toggle').setAttribute('aria-pressed', String(!parent));
  if (parent) renderThread(c, parent);
  renderPlatform();
}

function renderThread(c, parent) {
  const replies = ui.data.messages.filter(
    (m) => m.channel === parent.channel && m.threadTs === parent.ts && isReply(m) && visible(m),
  );
  const channelName = c.channels.get(parent.channel) ?? parent.channel;
  $('thread').innerHTML = `<header class="pane-header"><h2>Thread <span class="muted">#${esc(channelName)}</span></h2>
    <button type="button" class="icon-button" data-close-thread data-testid="thread-close" aria-label="Close thread">×</button></header>
    <div class="pane-body">${card(parent, c, true)}
      <div class="reply-divider">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>
      ${replies.map((m) => card(m, c, true)).join('')}</div>`;
}

function renderPlatform() {
  const p = ui.data.platform;
  $('platform-off').hidden = Boolean(p);
  $('platform-controls').hidden = !p;
  if (!p) return;
  const now = new Date();
  $('platform-apps').innerHTML = p.apps.map((a) => appHtml(a, now)).join('') || '<p class="muted">No apps.</p>';
  const select = $('push-app');
  const chosen = select.value;
  select.innerHTML = p.apps.map((a) => `<option value="${esc(a.name)}">${esc(a.name)}</option>`).join('');
  if (p.apps.some((a) => a.name === chosen)) select.value = chosen;
  $('fault-list').innerHTML = (p.faults ?? []).map((f) => `<li>${esc(describeFault(f))}</li>`).join('');
}

function appHtml(app, now) {
  const releases = app.releases ?? [];
  // Newest first: the one after the current release is what a rollback returns to.
  const current = releases.findIndex((r) => r.current);
  const previous = releases[Math.max(current, 0) + 1];
  const rows = releases
    .map(
      (r) => `<li class="${r.current ? 'current' : ''}"><span class="release-version">v${esc(r.version)}</span>
        <span class="release-desc">${esc(r.description)}</span>
        <span class="muted">${esc(formatDate('ago', new Date(r.createdAt), now))}</span></li>`,
    )
    .join('');
  return `<div class="app-card" data-app="${esc(app.name)}">
    <div class="app-title"><strong>${esc(app.name)}</strong> <span class="version">v${esc(app.version)}</span></div>
    <div class="app-desc">${esc(app.description)}</div>
    <div class="muted">${app.commit ? `commit <code>${esc(app.commit.slice(0, 7))}</code>` : 'no commit'} · ${esc(app.userEmail)}</div>
    <ol class="releases">${rows}</ol>
    <button type="button" class="btn btn-default btn-small" data-testid="rollback-${esc(app.name)}" data-rollback="${esc(app.name)}"
      data-version="${esc(previous?.version ?? '')}"${previous ? '' : ' disabled'}>Roll back from the dashboard${previous ? ` to v${esc(previous.version)}` : ''}</button>
  </div>`;
}

function describeFault(f) {
  const what = [
    f.status && `answers ${f.status}`,
    f.latencyMs && `waits ${f.latencyMs} ms`,
    f.dropResponse && 'drops the response',
  ]
    .filter(Boolean)
    .join(', ');
  // `left` counts down as the bot's calls use the fault up (null: no limit).
  const left = f.left ?? f.times;
  const times = left === 0 ? ' (used up)' : left ? ` for the next ${left} call${left === 1 ? '' : 's'}` : '';
  return `${f.method ?? 'any'} ${f.path ?? '*'}: ${what || 'fault'}${times}`;
}

function renderModal(c) {
  const modal = currentModal();
  $('modal-overlay').hidden = !modal;
  if (!modal) {
    ui.modalKey = '';
    ui.modalId = null;
    return;
  }
  const modalKey = JSON.stringify([modal.id, modal.view, modal.errors ?? null]);
  if (modalKey === ui.modalKey) return; // redrawing would wipe what the user typed
  const sameModal = ui.modalId === modal.id;
  const typed = readValues();
  const view = renderView(modal.view, { ...c, errors: modal.errors ?? {} });
  $('modal-title').innerHTML = view.title;
  $('modal-body').innerHTML = view.html;
  $('modal-submit').innerHTML = view.submit;
  $('modal-submit').hidden = !view.submit;
  $('modal-close').innerHTML = view.close;
  for (const el of modalInputs()) {
    const value = sameModal ? typed[el.dataset.blockId]?.[el.dataset.actionId] : undefined;
    if (value !== undefined) el.value = value;
  }
  if (!sameModal) (modalInputs()[0] ?? $('modal-submit')).focus();
  ui.modalKey = modalKey;
  ui.modalId = modal.id;
}

const modalInputs = () => [...$('modal-body').querySelectorAll('input[data-action-id], textarea[data-action-id]')];

function readValues() {
  const values = {};
  for (const el of modalInputs()) {
    values[el.dataset.blockId] ??= {};
    values[el.dataset.blockId][el.dataset.actionId] = el.value;
  }
  return values;
}

function renderErrors() {
  const errors = ui.data.errors;
  const box = $('errors');
  box.hidden = errors.length === 0;
  const open = box.querySelector('details')?.open ?? true;
  const items = [...errors].reverse().map((e) => `<li><time>${hhmm(new Date(e.at))}</time> ${esc(e.text)}</li>`);
  box.innerHTML = errors.length
    ? `<details${open ? ' open' : ''}><summary><span class="badge" data-testid="error-count">${errors.length}</span>
      The bot called something the playground does not implement, or a call failed</summary><ul>${items.join('')}</ul></details>`
    : '';
}

// ---- user actions -------------------------------------------------------------------------------------

async function onCompose(event) {
  event.preventDefault();
  const raw = $('composer').value.trim();
  if (!raw) return;
  const command = raw.match(/^\/pipeline(?:\s+([\s\S]*))?$/);
  if (!command && raw.startsWith('/')) return setHint('Only /pipeline commands reach the bot here', true);
  // As in Slack, text that is no command is a message to the channel; the bot does not read those.
  const answer = command
    ? await post('/ui/command', { userId: ui.userId, channelId: ui.place.id, text: (command[1] ?? '').trim() })
    : await post('/ui/message', { userId: ui.userId, channelId: ui.place.id, text: raw });
  if (answer.ok) $('composer').value = '';
  setHint();
}

async function onAction(button) {
  const message = button.closest('.message');
  if (button.dataset.confirm && !(await askConfirm(JSON.parse(button.dataset.confirm)))) return;
  await post('/ui/action', {
    userId: ui.userId,
    // Buttons outside a message (App Home) have no channel or ts.
    channelId: message?.dataset.channel ?? null,
    messageTs: message?.dataset.ts ?? null,
    actionId: button.dataset.actionId,
    blockId: button.dataset.blockId,
    value: button.dataset.value,
  });
}

function askConfirm(confirm) {
  const c = ctx();
  $('confirm-title').innerHTML = renderText(confirm.title, c) || 'Are you sure?';
  $('confirm-text').innerHTML = renderText(confirm.text, c);
  $('confirm-ok').innerHTML = renderText(confirm.confirm, c) || 'Yes';
  $('confirm-deny').innerHTML = renderText(confirm.deny, c) || 'Cancel';
  $('confirm-ok').className = `btn btn-${confirm.style === 'danger' ? 'danger' : 'primary'}`;
  $('confirm-overlay').hidden = false;
  $('confirm-ok').focus();
  return new Promise((resolve) => {
    ui.confirm = resolve;
  });
}

function answerConfirm(yes) {
  $('confirm-overlay').hidden = true;
  ui.confirm?.(yes);
  ui.confirm = null;
}

async function submitModal(event) {
  event.preventDefault();
  const modal = currentModal();
  if (!modal) return;
  const answer = await post('/ui/view-submit', { userId: ui.userId, viewId: modal.id, values: readValues() });
  if (answer.ok) APPLY.modal_closed(modal);
  else if (answer.errors) modal.errors = answer.errors;
  render();
}

async function closeModal() {
  const modal = currentModal();
  if (!modal) return;
  await post('/ui/view-close', { viewId: modal.id });
  APPLY.modal_closed(modal); // gone for the user even if the server had already forgotten it
  render();
}

function openHome() {
  if (!ui.data) return;
  ui.place = { kind: 'home' };
  post('/ui/home', { userId: ui.userId });
  render();
}

function openChannel(id) {
  ui.place = { kind: 'channel', id };
  ui.unread.delete(id);
  if (ui.thread?.channel !== id) ui.thread = null;
  render();
  $('composer').focus();
}

function onClick(event) {
  const button = event.target.closest('button');
  if (!button || !ui.data) return;
  const message = button.closest('.message');
  if (button.dataset.actionId !== undefined && !button.closest('.overlay')) onAction(button);
  else if (button.dataset.navChannel) openChannel(button.dataset.navChannel);
  else if (button.dataset.thread && message)
    ui.thread = { channel: message.dataset.channel, ts: button.dataset.thread };
  else if (button.hasAttribute('data-close-thread')) ui.thread = null;
  else if (button.hasAttribute('data-dismiss') && message)
    ui.dismissed.add(`${message.dataset.channel}/${message.dataset.ts}`);
  else if (button.dataset.rollback)
    post('/ui/platform/rollback', { app: button.dataset.rollback, version: Number(button.dataset.version) });
  else return;
  render();
}

async function onPush(event) {
  event.preventDefault();
  const message = $('push-message').value.trim() || 'A small change';
  const answer = await post('/ui/platform/deploy', {
    app: $('push-app').value,
    message,
    author: currentUser()?.realName ?? '',
  });
  if (answer.ok) $('push-message').value = '';
}

function onKey(event) {
  if (event.key !== 'Escape') return;
  if (ui.confirm) answerConfirm(false);
  else if (!$('modal-overlay').hidden) closeModal();
}

function start() {
  document.addEventListener('click', onClick);
  document.addEventListener('keydown', onKey);
  $('composer-form').addEventListener('submit', onCompose);
  $('composer').addEventListener('input', () => setHint());
  $('home-button').addEventListener('click', openHome);
  $('platform-toggle').addEventListener('click', () => {
    ui.thread = null;
    render();
  });
  $('user-select').addEventListener('change', (event) => {
    ui.userId = event.target.value;
    if (ui.place.kind === 'home') post('/ui/home', { userId: ui.userId });
    render();
  });
  $('push-form').addEventListener('submit', onPush);
  $('fault-503').addEventListener('click', () => post('/ui/platform/fault', { status: 503, times: 3 }));
  $('fault-clear').addEventListener('click', () => post('/ui/platform/fault-clear', {}));
  $('modal').addEventListener('submit', submitModal);
  $('modal-close').addEventListener('click', closeModal);
  $('modal-x').addEventListener('click', closeModal);
  $('confirm-ok').addEventListener('click', () => answerConfirm(true));
  $('confirm-deny').addEventListener('click', () => answerConfirm(false));
  setHint();
  connect();
}

start();
