import { describe, expect, it } from 'vitest';
import type { Promotion } from '../../src/promotions/promotion.js';
import type { Announcement } from '../../src/releases/announcement.js';
import { announcementDetails, announcementLine } from '../../src/slack/blocks/announcement-message.js';
import { aPromotion, pinnedRelease } from '../support/a-promotion.js';

const SHA_A = '0f0a53b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3';
const SHA_B = 'eac9d38f0a53b1c2d3e4f5a6b7c8d9e0f1a2b3c4';
const createdAt = new Date('2026-11-26T10:00:00Z');
const unix = createdAt.getTime() / 1000;

function announcement(description: string, userEmail = 'kim@acme.com'): Announcement {
  const release = {
    id: 'rel-1',
    app: 'myapp',
    version: 8,
    description,
    userEmail,
    createdAt,
    commit: SHA_B,
    commitDescription: 'Add the audit log\n\nLonger story',
  };
  return {
    id: 'T:myapp:rel-1:C',
    teamId: 'T',
    app: 'myapp',
    channelId: 'C',
    releaseId: 'rel-1',
    version: 8,
    release,
    source: 'webhook',
    state: 'queued',
    queuedAt: createdAt,
  };
}

const promotion = aPromotion({
  source: pinnedRelease(3, SHA_B),
  downstreamAtRequest: { id: 'r7', version: 7, slugId: 's1', commit: SHA_A },
});

describe('an announcement', () => {
  it('is one line: app and version, description, who, and a time Slack keeps relative', () => {
    expect(announcementLine(announcement('Deploy eac9d38'), { promotion: null, repo: null }, null)).toBe(
      `:package: *myapp* v8 · Deploy eac9d38 · kim@acme.com · <!date^${unix}^{ago}|2026-11-26T10:00:00.000Z>`,
    );
  });

  it('never lets a description ping the channel or forge a link', () => {
    const line = announcementLine(
      announcement('<!channel> see <http://evil|docs> & more', '<@U0BOSS>'),
      { promotion: null, repo: null },
      null,
    );
    expect(line).toContain('&lt;!channel&gt; see &lt;http://evil|docs&gt; &amp; more');
    expect(line).toContain('&lt;@U0BOSS&gt;');
    expect(line).not.toMatch(/<!channel>|<http:\/\/evil/);
  });

  it('of a release we promoted: the upstream, the commit range (compare link) and the card, not the story again', () => {
    const line = announcementLine(
      announcement('Promote myapp-staging v3 eac9d38'),
      { promotion, repo: 'acme/myapp' },
      'https://acme.slack.com/archives/C0DEPLOY/p1700000000000100',
    );
    expect(line).toBe(
      `:rocket: *myapp* v8 · promoted from myapp-staging v3 (<https://github.com/acme/myapp/compare/${SHA_A}...${SHA_B}|0f0a53b…eac9d38>) · requested by <@U0ANA> · <!date^${unix}^{ago}|2026-11-26T10:00:00.000Z> · <https://acme.slack.com/archives/C0DEPLOY/p1700000000000100|see the card>`,
    );
  });

  it('of a rollback we made says so', () => {
    const rollback = { ...promotion, kind: 'rollback', upstream: 'myapp', source: { ...promotion.source, version: 5 } };
    const line = announcementLine(
      announcement('Rollback to v5'),
      { promotion: rollback as Promotion, repo: null },
      null,
    );
    expect(line).toMatch(/^:rewind: \*myapp\* v8 · rolled back to v5 \(`eac9d38`\) · requested by <@U0ANA> · /);
  });

  it('keeps the details for the thread: full description, linked commit and its message, exact time, release id', () => {
    const details = announcementDetails(announcement('Deploy eac9d38'), { promotion: null, repo: 'acme/myapp' });
    expect(details.split('\n')).toEqual([
      '*myapp v8*: Deploy eac9d38',
      `Commit <https://github.com/acme/myapp/commit/${SHA_B}|\`eac9d38\`>: Add the audit log`,
      '',
      'Longer story',
      `Released by kim@acme.com on <!date^${unix}^{date_short_pretty} at {time}|2026-11-26T10:00:00.000Z> · release \`rel-1\``,
    ]);
  });

  it('cuts a very long description in the line, not in the thread', () => {
    const long = 'x'.repeat(1_000);
    expect(announcementLine(announcement(long), { promotion: null, repo: null }, null).length).toBeLessThan(400);
    expect(announcementDetails(announcement(long), { promotion: null, repo: null })).toContain(long);
  });
});
