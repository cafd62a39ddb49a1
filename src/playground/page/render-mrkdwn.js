// Slack mrkdwn → HTML, for the playground page. Pure (no DOM) so it runs in the browser and in vitest.
// Slack text arrives with `&amp; &lt; &gt;` already encoded and real `<…>` only around links and mentions:
// every piece of text is decoded and then HTML-escaped on output, so input never becomes live markup.

const EMOJI = {
  rocket: '🚀',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  fast_forward: '⏩',
  rewind: '⏪',
  leftwards_arrow_with_hook: '↩️',
  arrow_right: '➡️',
  arrows_counterclockwise: '🔄',
  package: '📦',
  loudspeaker: '📢',
  mute: '🔇',
  bell: '🔔',
  lock: '🔒',
  unlock: '🔓',
  warning: '⚠️',
  information_source: 'ℹ️',
  tada: '🎉',
  eyes: '👀',
  stopwatch: '⏱️',
  construction: '🚧',
  red_circle: '🔴',
  large_green_circle: '🟢',
  white_circle: '⚪',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  fire: '🔥',
  sparkles: '✨',
  zap: '⚡',
  memo: '📝',
  link: '🔗',
  gear: '⚙️',
  robot_face: '🤖',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SAFE_HREF = /^(https?:|mailto:)/i;

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text) {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Slack's three entities back to characters (`&amp;` last, so `&amp;lt;` stays the text "&lt;"). */
export function decodeSlack(text) {
  return String(text ?? '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** `:rocket:` → 🚀 in already-escaped text; unknown shortcodes stay as they are. */
export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => (Object.hasOwn(EMOJI, name) ? EMOJI[name] : whole));
}

export function renderMrkdwn(text, ctx = {}) {
  // ``` blocks first: nothing inside them is formatted. The newlines hugging a block belong to it.
  const parts = String(text ?? '').split(/```([\s\S]*?)```/);
  const last = parts.length - 1;
  const html = parts.map((part, i) => {
    if (i % 2 === 1) return `<pre>${escapeSlack(part.replace(/^\n/, '').replace(/\n$/, ''))}</pre>`;
    const after = i > 0 ? part.replace(/^\n/, '') : part;
    return lines(i < last ? after.replace(/\n$/, '') : after, ctx);
  });
  return html.join('');
}

function escapeSlack(text) {
  return escapeHtml(decodeSlack(text));
}

/** Lines starting with a literal `>` are quotes; consecutive ones share one blockquote. */
function lines(text, ctx) {
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  const all = text.split('\n');
  all.forEach((line, i) => {
    if (line.startsWith('>')) {
      quote.push(inline(line.slice(1).replace(/^ /, ''), ctx));
      return;
    }
    flush();
    out.push(inline(line, ctx) + (i < all.length - 1 ? '<br>' : ''));
  });
  flush();
  return out.join('');
}

/** One line: `<…>` tokens and `code` become opaque slots, the rest is escaped, then formatted. */
function inline(raw, ctx) {
  const slots = [];
  const keep = (html) => `\uE000${slots.push(html) - 1}\uE001`;
  let s = raw.replace(/[\uE000\uE001]/g, '');
  s = s.replace(/<([^<>\n]*)>/g, (_, inner) => keep(token(inner, ctx)));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${escapeSlack(code)}</code>`));
  s = emojify(escapeSlack(s));
  s = wrap(s, '\\*', 'b');
  s = wrap(s, '_', 'i');
  s = wrap(s, '~', 's');
  return s.replace(/\uE000(\d+)\uE001/g, (_, i) => slots[Number(i)]);
}

/** `*x*` style markers: opening not after a word character, closing not before one, no space just inside. */
function wrap(html, marker, tag) {
  const re = new RegExp(`(?<![\\w${marker}])${marker}(?=\\S)([^\\n]*?\\S)${marker}(?![\\w${marker}])`, 'g');
  return html.replace(re, (_, body) => `<${tag}>${body}</${tag}>`);
}

/** The inside of one `<…>`: mention, channel, special, date or link. */
function token(inner, ctx) {
  const bar = inner.indexOf('|');
  const head = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? null : inner.slice(bar + 1);
  if (head.startsWith('@')) return mention(`@${lookup(ctx.users, head.slice(1)) ?? label ?? head.slice(1)}`);
  if (head.startsWith('#')) return mention(`#${lookup(ctx.channels, head.slice(1)) ?? label ?? head.slice(1)}`);
  if (head.startsWith('!')) return special(head.slice(1), label, ctx);
  const href = decodeSlack(head);
  const text = label === null ? escapeSlack(head) : inline(label, ctx);
  if (!SAFE_HREF.test(href)) return text;
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

function mention(name) {
  return `<span class="mention">${escapeSlack(name)}</span>`;
}

function special(head, label, ctx) {
  const [kind, ...args] = head.split('^');
  if (kind === 'date') return date(args, label, ctx);
  if (kind === 'subteam') {
    const name = label ?? lookup(ctx.groups, args[0]) ?? args[0] ?? 'group';
    return mention(`@${name.replace(/^@/, '')}`);
  }
  if (kind === 'channel' || kind === 'here' || kind === 'everyone') return mention(`@${kind}`);
  return escapeSlack(label ?? kind);
}

function lookup(collection, id) {
  if (!collection || id === undefined) return undefined;
  if (collection instanceof Map) return collection.get(id);
  return Object.hasOwn(collection, id) ? collection[id] : undefined;
}

/** `<!date^SECONDS^FORMAT^optional link|fallback>` in the reader's local time. */
function date([seconds, format = '', _link], fallback, ctx) {
  const at = new Date(Number(seconds) * 1000);
  if (!/^\d+$/.test(seconds ?? '') || Number.isNaN(at.getTime())) return escapeSlack(fallback ?? '');
  const now = ctx.now instanceof Date ? ctx.now : new Date();
  const text = decodeSlack(format).replace(/\{(\w+)\}/g, (whole, name) => formatDate(name, at, now) ?? whole);
  return `<time datetime="${at.toISOString()}" title="${escapeHtml(at.toString())}">${escapeHtml(text)}</time>`;
}

/** Exported for tests; `now` decides today/yesterday/tomorrow and `{ago}`. */
export function formatDate(name, at, now) {
  const pad = (n) => String(n).padStart(2, '0');
  const short = `${MONTHS[at.getMonth()].slice(0, 3)} ${at.getDate()}, ${at.getFullYear()}`;
  const long = `${MONTHS[at.getMonth()]} ${ordinal(at.getDate())}, ${at.getFullYear()}`;
  const plain = {
    date_num: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    date: long,
    date_short: short,
    date_long: `${DAYS[at.getDay()]}, ${long}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
    time_secs: `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`,
    ago: ago(at, now),
  };
  if (name in plain) return plain[name];
  const pretty = name.match(/^(date(?:_short|_long)?)_pretty$/);
  if (!pretty) return undefined;
  return relativeDay(at, now) ?? plain[pretty[1]];
}

function ordinal(n) {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th')}`;
}

function relativeDay(at, now) {
  const day = (d) => Math.round(new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() / 86_400_000);
  const diff = day(at) - day(now);
  return { '-1': 'yesterday', 0: 'today', 1: 'tomorrow' }[diff];
}

const UNITS = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

function ago(at, now) {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const unit = UNITS.find(([, size]) => abs >= size);
  if (!unit) return 'just now';
  const n = Math.floor(abs / unit[1]);
  const amount = `${n} ${unit[0]}${n === 1 ? '' : 's'}`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}
