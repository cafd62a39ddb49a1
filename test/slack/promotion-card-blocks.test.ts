import { describe, expect, it } from 'vitest';
import type { Promotion } from '../../src/promotions/promotion.js';
import { promotionCard } from '../../src/slack/blocks/promotion-card.js';
import { aPromotion, pinnedRelease } from '../support/a-promotion.js';

const sha = (n: number) => n.toString(16).padStart(40, 'a');
const base: Promotion = aPromotion({
  source: pinnedRelease(6, sha(6)),
  downstreamAtRequest: pinnedRelease(2, sha(2)),
  diff: {
    aheadBy: 2,
    behindBy: 0,
    commits: [
      {
        sha: sha(6),
        message: 'Fix the <refund> & rounding',
        author: 'Kim Developer',
        date: new Date('2026-11-26T09:00:00Z'),
      },
      {
        sha: sha(5),
        message: 'Add the refund button',
        author: 'Jim Developer',
        date: new Date('2026-11-25T09:00:00Z'),
      },
    ],
    url: 'https://github.com/acme/myapp/compare/a...b',
    partial: false,
    hash: 'h',
  },
  policy: { approvals: 2, users: [], groups: ['S0SRE'], selfApproval: false },
  approvals: [{ userId: 'U0BOB', at: new Date('2026-11-26T10:01:00Z') }],
  rev: 1,
  updatedAt: new Date('2026-11-26T10:01:00Z'),
});

const texts = (blocks: { type: string; text?: { text: string } }[]) =>
  blocks.flatMap((b) => (b.text ? [b.text.text] : []));

describe('promotionCard', () => {
  it('shows the diff with linked short shas, dates, escaped messages and authors, progress and the buttons', () => {
    const card = promotionCard(base, 'acme/myapp');
    const all = JSON.stringify(card.blocks);
    expect(texts(card.blocks as never)).toContain(
      'Comparing myapp-staging to myapp...done, myapp-staging ahead by 2 commits:\n' +
        `<https://github.com/acme/myapp/commit/${sha(6)}|\`${sha(6).slice(0, 7)}\`>  2026-11-26  Fix the &lt;refund&gt; &amp; rounding  (Kim Developer)\n` +
        `<https://github.com/acme/myapp/commit/${sha(5)}|\`${sha(5).slice(0, 7)}\`>  2026-11-25  Add the refund button  (Jim Developer)`,
    );
    expect(all).toContain('1 of 2 approvals: <@U0BOB>');
    expect(all).toContain('"action_id":"promotion.approve"');
    expect(all).toContain('"confirm"');
    expect(card.text).toBe('Promote myapp-staging → myapp: pending approval');
  });

  it('stays within Block Kit limits for a 500-commit diff, ending with "and N more" and the compare link', () => {
    const commits = Array.from({ length: 500 }, (_, i) => ({
      sha: sha(i),
      message: `Change number ${i} with a long enough message to take some room in the section`.repeat(2),
      author: 'Someone Developer',
      date: new Date('2026-11-26T09:00:00Z'),
    }));
    const card = promotionCard(
      { ...base, diff: { ...base.diff, aheadBy: 500, commits } as Promotion['diff'] },
      'acme/myapp',
    );
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    for (const text of texts(card.blocks as never)) expect(text.length).toBeLessThanOrEqual(3000);
    const diff = texts(card.blocks as never).find((t) => t.startsWith('Comparing')) ?? '';
    expect(diff).toMatch(/\nand 4\d\d more — <https:\/\/github\.com\/acme\/myapp\/compare\/a\.\.\.b\|see them all>$/);
  });

  it('keeps the history and drops the buttons once the request ended', () => {
    const done = promotionCard({ ...base, state: 'succeeded', result: { releaseId: 'r9', version: 9 } }, null);
    expect(JSON.stringify(done.blocks)).not.toContain('promotion.approve');
    expect(texts(done.blocks as never)).toContain(':white_check_mark: Promoting myapp-staging to myapp...done, v9');
    expect(JSON.stringify(done.blocks)).toContain('Comparing myapp-staging to myapp');
  });

  it('mentions the lock holder in a failure, and never lets a typed @channel or link fire', () => {
    const error =
      'myapp is locked by <@U0CAROL>: "<!channel> deploying, see <http://evil.example|docs> & <!subteam^S0SRE|@sre>". Unlock it (/pipeline unlock myapp) to promote into it.';
    const failed = promotionCard({ ...base, state: 'failed', error }, null);
    const line = texts(failed.blocks as never).find((t) => t.startsWith(':x:'));
    expect(line).toBe(
      ':x: Promoting myapp-staging to myapp...failed: myapp is locked by <@U0CAROL>: "@channel deploying, see &lt;http://evil.example|docs&gt; &amp; @sre". Unlock it (/pipeline unlock myapp) to promote into it.',
    );
  });
});
