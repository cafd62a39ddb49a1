import type { ActionsBlock, KnownBlock } from '@slack/types';
import { format } from 'date-fns';
import { formatDuration } from '../../pipelines/duration.js';
import type { Commit } from '../../platform/platform.js';
import { describePolicyChange } from '../../promotions/policy-in-force.js';
import type { Promotion } from '../../promotions/promotion.js';
import { plural } from '../plural.js';
import { fitLines } from './fit-lines.js';
import { commitLink, escapeMrkdwn, slackDate, userText } from './mrkdwn.js';

/** Action ids of the card's buttons; each button's value is the request id (state is read from MongoDB). */
export const ACTIONS = {
  approve: 'promotion.approve',
  reject: 'promotion.reject',
  cancel: 'promotion.cancel',
} as const;

/** Block Kit limits (DESIGN §8): a section's text, and how many commits are listed before "and N more". */
const SECTION_MAX = 2_900;
const COMMITS_SHOWN = 15;
const CONFIRM_MAX = 300;
/** Commits a promotion would remove, listed on the card (the confirm dialog lists fewer). */
const REMOVED_SHOWN = 5;

/**
 * The promotion card: what goes where, what it contains, who asked, who approved, and where it stands.
 * A pure function of the request; the card is re-rendered from the stored request on every event.
 */
export function promotionCard(p: Promotion, repo: string | null): { text: string; blocks: KnownBlock[] } {
  const title =
    p.kind === 'rollback'
      ? `Roll back ${p.downstream} to v${p.source.version}`
      : `Promote ${p.upstream} → ${p.downstream}`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: pinned(p) }] },
  ];
  if (p.diff) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: diffText(p, repo) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: progress(p) }] });
  if (p.policyChange) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: policyChanged(p) }] });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: status(p) } });
  if (p.state === 'pending_approval') blocks.push(buttons(p));
  return { text: `${title}: ${plainStatus(p)}`, blocks };
}

function pinned(p: Promotion): string {
  const sha = p.source.commit ? ` (${p.source.commit.slice(0, 7)})` : '';
  const from = p.kind === 'rollback' ? `v${p.source.version}${sha}` : `${p.upstream} v${p.source.version}${sha}`;
  return `${from} → ${p.downstream} (now v${p.downstreamAtRequest.version}) · requested by <@${p.requestedBy}>`;
}

/** `Comparing … ahead by 2 commits:` and one line a commit, cut to Block Kit's limits with the compare link. */
export function diffText(p: Promotion, repo: string | null): string {
  const diff = p.diff;
  if (!diff) return '';
  if (diff.aheadBy === 0 && diff.behindBy === 0) return `${p.upstream} and ${p.downstream}: everything is up to date`;
  const counts = [
    diff.aheadBy ? `ahead by ${plural(diff.aheadBy, 'commit')}` : '',
    diff.behindBy ? `behind by ${plural(diff.behindBy, 'commit')}` : '',
  ].filter(Boolean);
  const head = `Comparing ${p.upstream} to ${p.downstream}...done, ${p.upstream} ${counts.join(', ')}${diff.partial ? ' (from release history; may be partial)' : ''}:`;
  // Room for the head, the "and N more" line with its link, and what promoting would remove.
  const removes = removalWarning(p, repo).slice(0, SECTION_MAX / 2);
  const shown = diff.commits.slice(0, COMMITS_SHOWN).map((commit) => commitLine(commit, repo));
  const lines = fitLines(shown, SECTION_MAX - head.length - 60 - removes.length);
  const rest = diff.aheadBy - lines.length;
  const more = rest > 0 ? `\nand ${rest} more${diff.url ? ` — <${diff.url}|see them all>` : ''}` : '';
  return [`${head}\n${lines.join('\n')}${more}`.trimEnd(), removes].filter(Boolean).join('\n');
}

/**
 * A downstream hotfix the upstream lacks is lost by promoting: said on the card and in the confirm dialog, with
 * the commits (a few of them), so nobody approves it unknowingly.
 */
export function removalWarning(p: Promotion, repo: string | null, shown = REMOVED_SHOWN): string {
  const diff = p.diff;
  if (!diff || diff.behindBy === 0 || p.kind === 'rollback') return '';
  const them = diff.behindBy === 1 ? 'it' : 'them';
  // From release history the count is a floor: the downstream runs a build the upstream never had.
  const count =
    diff.partial && !diff.behindCommits?.length
      ? `at least ${plural(diff.behindBy, 'commit')}`
      : plural(diff.behindBy, 'commit');
  const head = `:warning: ${p.downstream} has ${count} that ${p.upstream} lacks; promoting removes ${them}:`;
  const lines = (diff.behindCommits ?? []).slice(0, shown).map((c) => commitLine(c, repo));
  const rest = diff.behindBy - lines.length;
  return [head, ...lines, ...(rest > 0 ? [`and ${rest} more`] : [])].join('\n');
}

function commitLine(commit: Commit, repo: string | null): string {
  const link = commitLink(commit.sha, repo);
  const date = commit.date ? format(commit.date, 'yyyy-MM-dd') : '';
  return `${link}  ${date}  ${escapeMrkdwn(commit.message).slice(0, 120)}  (${escapeMrkdwn(commit.author)})`;
}

function progress(p: Promotion): string {
  const by = p.approvals.map((a) => `<@${a.userId}>`).join(', ');
  const needed = p.policy.approvals;
  const approvals =
    needed === 0
      ? 'no approval needed'
      : `${p.approvals.length} of ${plural(needed, 'approval')}${by ? `: ${by}` : ''}`;
  const expiry =
    p.state === 'pending_approval'
      ? ` · expires ${slackDate(p.expiresAt, '{date_short_pretty} {time}')} (${formatDuration(p.expiresAt.getTime() - p.createdAt.getTime())} after the request)`
      : '';
  return `${approvals}${expiry}`;
}

/** What changed in the policy since the request was made, so "1 of 2" after "1 of 1" is explained. */
function policyChanged(p: Promotion): string {
  const change = p.policyChange;
  if (!change) return '';
  const who = change.by === 'system' ? 'The policy in force changed' : `<@${change.by}> changed the policy`;
  return `:scales: ${who}: ${describePolicyChange(change.before, p.policy, change.dropped)}.`;
}

function status(p: Promotion): string {
  const doing =
    p.kind === 'rollback'
      ? `Rolling back ${p.downstream} to v${p.source.version}`
      : `Promoting ${p.upstream} to ${p.downstream}`;
  switch (p.state) {
    case 'pending_approval':
      return ':hourglass_flowing_sand: Waiting for approval';
    case 'approved':
    case 'running':
      return `:rocket: ${doing}...`;
    case 'succeeded':
      return `:white_check_mark: ${doing}...done, v${p.result?.version}`;
    case 'failed':
      return `:x: ${doing}...failed: ${userText((p.error ?? 'unknown error').slice(0, 500))}`;
    case 'rejected':
      return `:no_entry: Rejected by <@${p.rejection?.by}>${p.rejection?.reason ? `: "${userText(p.rejection.reason)}"` : ''}`;
    case 'expired':
      return ':clock3: Expired without a decision';
    case 'cancelled':
      // `system`: the bot ended it itself (its card could not be shown), and says why.
      if (p.cancelledBy === 'system') return `:leftwards_arrow_with_hook: Cancelled: ${p.error ?? 'by pipeline-bot'}`;
      return `:leftwards_arrow_with_hook: Cancelled by <@${p.cancelledBy}>${p.error ? `: ${userText(p.error)}` : ''}`;
    case 'superseded':
      return `:fast_forward: Superseded: ${userText((p.error ?? `${p.downstream} moved since the request`).slice(0, 500))}`;
  }
}

function plainStatus(p: Promotion): string {
  return p.state === 'succeeded' ? `done, v${p.result?.version}` : p.state.replace('_', ' ');
}

function buttons(p: Promotion): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'promotion_actions',
    elements: [
      {
        type: 'button',
        action_id: ACTIONS.approve,
        style: 'primary',
        text: { type: 'plain_text', text: 'Approve' },
        value: p.id,
        confirm: {
          title: {
            type: 'plain_text',
            text: p.kind === 'rollback' ? 'Approve this rollback?' : 'Approve this promotion?',
          },
          text: {
            type: 'mrkdwn',
            text:
              p.kind === 'rollback'
                ? `${p.downstream} goes back to v${p.source.version} once approvals are complete.`
                : [
                    `${p.upstream} v${p.source.version} goes to ${p.downstream} once approvals are complete.`,
                    removalWarning(p, null, 3),
                  ]
                    .filter(Boolean)
                    .join('\n')
                    // Slack's limit for a confirm dialog's text.
                    .slice(0, CONFIRM_MAX),
          },
          confirm: { type: 'plain_text', text: 'Approve' },
          deny: { type: 'plain_text', text: 'Not yet' },
        },
      },
      {
        type: 'button',
        action_id: ACTIONS.reject,
        style: 'danger',
        text: { type: 'plain_text', text: 'Reject' },
        value: p.id,
      },
      { type: 'button', action_id: ACTIONS.cancel, text: { type: 'plain_text', text: 'Cancel' }, value: p.id },
    ],
  };
}
