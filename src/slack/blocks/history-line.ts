import type { StoredAuditEvent } from '../../audit/audit-event.js';
import { formatDuration } from '../../pipelines/duration.js';
import type { Policy } from '../../pipelines/policy.js';
import { slackDate, userText } from './mrkdwn.js';

type Details = Record<string, unknown>;

/** One audit event as a sentence a person reads: who did what to which app, with the values before and after. */
export function historyLine(e: StoredAuditEvent): string {
  const d = e.details;
  const who = actor(e.actor);
  if (e.action.startsWith('promotion.')) return promotionLine(e.action.slice('promotion.'.length), who, e.app, d);
  switch (e.action) {
    case 'app.policy_set':
      return `${who} changed ${e.app}'s policy: ${policyChanges(d)}`;
    case 'app.locked':
      return `${who} locked ${e.app}${quoted(d.reason)}${until(d.until)}`;
    case 'app.unlocked':
      return `${who} unlocked ${e.app}${d.lockedBy && d.lockedBy !== e.actor ? ` (locked by ${actor(String(d.lockedBy))}${quoted(d.reason)})` : ''}`;
    case 'app.lock_lapsed':
      return `${actor(String(d.lockedBy))}'s lock on ${e.app} lapsed${quoted(d.reason)}`;
    case 'app.repo_set':
      return `${who} linked ${e.app} to github.com/${text(d.repo)}${d.previous ? ` (was ${text(d.previous)})` : ''}`;
    case 'pipeline.link_added':
      return `${who} made ${text(d.downstream)} the downstream of ${e.app}`;
    case 'pipeline.link_removed':
      return `${who} removed the link ${e.app} → ${text(d.downstream)}`;
    case 'channel.default_app_set':
      return `${who} made ${e.app} the default app of <#${text(d.channelId)}>${d.previous && d.previous !== e.app ? ` (was ${text(d.previous)})` : ''}`;
    case 'subscription.added':
      return `${who} had ${e.app}'s releases announced in <#${text(d.channelId)}>`;
    case 'subscription.removed':
      return `${who} stopped ${e.app}'s announcements in <#${text(d.channelId)}>`;
    case 'subscription.disabled':
      return `${who} stopped announcing ${e.app} in <#${text(d.channelId)}>${because(d.reason)}`;
    case 'announcement.dropped':
      return `${who} dropped an announcement of ${e.app} in <#${text(d.channelId)}>${because(d.reason)}`;
    default:
      return `${who}: ${e.action}`;
  }
}

function promotionLine(type: string, who: string, app: string, d: Details): string {
  const rollback = d.kind === 'rollback';
  const what = rollback
    ? `rolling ${app} back to v${text(d.sourceVersion)}`
    : `promoting ${text(d.upstream ?? 'its upstream')}${d.sourceVersion ? ` v${text(d.sourceVersion)}` : ''}${d.sourceCommit ? ` (${text(d.sourceCommit)})` : ''} to ${app}`;
  const noun = rollback ? 'rollback' : 'promotion';
  switch (type) {
    case 'requested':
      return `${who} asked for ${what}`;
    case 'approval_added':
    case 'approved':
      return `${who} approved ${what}${type === 'approved' ? ' (all approvals in)' : ''}`;
    case 'rejected':
      return `${who} rejected ${what}${quoted(d.reason)}`;
    case 'cancelled':
      return d.reason ? `${who} withdrew ${what}${because(d.reason)}` : `${who} cancelled ${what}`;
    case 'expired':
      return `${what} expired unapproved`;
    case 'superseded':
      return `${what} was superseded${because(d.reason)}`;
    case 'policy_changed':
      return `${what} now follows the changed policy`;
    case 'running':
      return `${noun} started: ${what}`;
    case 'succeeded':
      return `${noun} done: ${app}${d.version ? ` v${text(d.version)}` : ''}`;
    case 'failed':
      return `${noun} failed: ${what}${because(d.reason)}`;
    default:
      return `${who}: ${what} (${type})`;
  }
}

const POLICY_WORDS: Record<keyof Policy, string> = {
  approvals: 'approvals',
  approvers: 'approvers',
  selfApproval: 'self-approval',
  expiresMs: 'expiry',
  rollbackApprovals: 'rollback approvals',
};

/** `approvals 1 → 2, approvers anyone → @dave` from the `{from, to}` of each setting that changed. */
function policyChanges(d: Details): string {
  const changes = (Object.keys(POLICY_WORDS) as (keyof Policy)[])
    .filter((key) => d[key] && typeof d[key] === 'object')
    .map((key) => {
      const { from, to } = d[key] as { from: unknown; to: unknown };
      return `${POLICY_WORDS[key]} ${policyValue(key, from)} → ${policyValue(key, to)}`;
    });
  return changes.join(', ') || 'no setting changed';
}

function policyValue(key: keyof Policy, value: unknown): string {
  if (key === 'approvers') {
    const { users = [], groups = [] } = (value ?? {}) as Partial<Policy['approvers']>;
    const who = [...users.map((u) => `<@${u}>`), ...groups.map((g) => `<!subteam^${g}>`)];
    return who.length ? who.join(', ') : 'anyone';
  }
  if (key === 'selfApproval') return value ? 'on' : 'off';
  if (key === 'expiresMs') return typeof value === 'number' ? formatDuration(value) : '?';
  return text(value);
}

/** The program's own steps (expiry, a channel gone) are by `system`, which is nobody in Slack. */
function actor(id: string): string {
  return id === 'system' ? 'pipeline-bot' : `<@${id}>`;
}

const until = (at: unknown) =>
  typeof at === 'string' && !Number.isNaN(Date.parse(at))
    ? ` until ${slackDate(new Date(at), '{date_short_pretty} at {time}')}`
    : '';
const text = (value: unknown) => userText(String(value ?? ''));
const quoted = (reason: unknown) => (typeof reason === 'string' && reason ? `: "${userText(reason)}"` : '');
const because = (reason: unknown) => (typeof reason === 'string' && reason ? `: ${userText(reason)}` : '');
