import type { Promotion } from '../../promotions/promotion.js';
import type { Announcement } from '../../releases/announcement.js';
import type { AnnouncementContext } from '../../releases/send-next-announcement.js';
import { commitLink, escapeMrkdwn, slackDate } from './mrkdwn.js';

const DESCRIPTION_MAX = 200;
const COMMIT_MESSAGE_MAX = 1_500;
/** Slack cuts a message's text at 40,000 characters; a thread reply stays far below. */
const DETAILS_DESCRIPTION_MAX = 2_000;

/**
 * The one line a release gets in a channel: app and version, what it is, who made it, when. A release we made
 * names its upstream and commit range and links to its card, whose thread already tells the rest.
 */
export function announcementLine(a: Announcement, context: AnnouncementContext, cardLink: string | null): string {
  const head = `*${a.app}* v${a.version}`;
  const when = slackDate(a.release.createdAt, '{ago}');
  const p = context.promotion;
  if (!p) {
    return `:package: ${head} · ${describe(a.release.description, DESCRIPTION_MAX)} · ${escapeMrkdwn(a.release.userEmail)} · ${when}`;
  }
  const card = cardLink ? ` · <${cardLink}|see the card>` : '';
  return `${p.kind === 'rollback' ? ':rewind:' : ':rocket:'} ${head} · ${what(p, context.repo)} · requested by <@${p.requestedBy}> · ${when}${card}`;
}

function what(p: Promotion, repo: string | null): string {
  const to = p.source.commit;
  if (p.kind === 'rollback') return `rolled back to v${p.source.version}${to ? ` (${commitLink(to, repo)})` : ''}`;
  const from = p.downstreamAtRequest.commit;
  const range =
    from && to
      ? repo
        ? ` (<https://github.com/${repo}/compare/${from}...${to}|${from.slice(0, 7)}…${to.slice(0, 7)}>)`
        : ` (\`${from.slice(0, 7)}…${to.slice(0, 7)}\`)`
      : '';
  return `promoted from ${p.upstream} v${p.source.version}${range}`;
}

/** Heroku allows a release without a description; an empty gap between two dots would read as a glitch. */
function describe(description: string, max: number): string {
  return description.trim() ? escapeMrkdwn(clip(description, max)) : '(no description)';
}

/** The thread under the line: the full description, the commit and its message, the exact time and release id. */
export function announcementDetails(a: Announcement, context: AnnouncementContext): string {
  const r = a.release;
  const lines = [`*${a.app} v${a.version}*: ${describe(r.description, DETAILS_DESCRIPTION_MAX)}`];
  if (r.commit) {
    const message = r.commitDescription ? `: ${escapeMrkdwn(clip(r.commitDescription, COMMIT_MESSAGE_MAX))}` : '';
    lines.push(`Commit ${commitLink(r.commit, context.repo)}${message}`);
  }
  lines.push(
    `Released by ${escapeMrkdwn(r.userEmail)} on ${slackDate(r.createdAt, '{date_short_pretty} at {time}')} · release \`${r.id}\``,
  );
  return lines.join('\n');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
