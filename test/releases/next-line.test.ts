import { describe, expect, it } from 'vitest';
import type { Announcement } from '../../src/releases/announcement.js';
import { mayHaveMissedPredecessor, nextLine } from '../../src/releases/next-line.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 10, minute));
function queued(app: string, version: number, minute: number): Announcement {
  const release = {
    id: `${app}-r${version}`,
    app,
    version,
    description: `Deploy ${version}`,
    userEmail: 'kim@acme.com',
    createdAt: at(minute),
    commit: null,
    commitDescription: null,
  };
  return {
    id: `T:${app}:${release.id}:C`,
    teamId: 'T',
    app,
    channelId: 'C',
    releaseId: release.id,
    version,
    release,
    source: 'webhook',
    state: 'queued',
    queuedAt: at(minute),
  };
}

describe('the next line a channel hears', () => {
  it("posts each app's releases in version order, whatever order they were queued in", () => {
    const line = nextLine([queued('shop', 7, 3), queued('shop', 5, 1), queued('shop', 6, 2)]);
    expect(line?.version).toBe(5);
  });

  it('between apps, the release made first goes first', () => {
    const line = nextLine([queued('shop', 40, 5), queued('billing', 3, 2), queued('billing', 4, 9)]);
    expect([line?.app, line?.version]).toEqual(['billing', 3]);
  });

  it('a lower version of an app goes before its higher one even when it was made later (a rollback to it is v+1)', () => {
    const line = nextLine([queued('shop', 9, 1), queued('shop', 8, 4)]);
    expect(line?.version).toBe(8);
  });

  it('has nothing to post when nothing is queued', () => {
    expect(nextLine([])).toBeUndefined();
  });
});

describe('looking for a missed release before posting past it', () => {
  it('looks when the version before is neither known nor the one the subscription started at', () => {
    expect(mayHaveMissedPredecessor({ version: 12 }, 10, false)).toBe(true);
  });

  it('does not look when the version before is known, is where the subscription began, or was looked for', () => {
    expect(mayHaveMissedPredecessor({ version: 12 }, 10, true)).toBe(false);
    expect(mayHaveMissedPredecessor({ version: 11 }, 10, false)).toBe(false);
    expect(mayHaveMissedPredecessor({ version: 12, gapChecked: true }, 10, false)).toBe(false);
  });
});
