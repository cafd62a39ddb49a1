import { currentRelease } from '../platform/current-release.js';
import type { CodeHost, Commit, Comparison, Platform, Release } from '../platform/platform.js';
import { PlatformNotFoundError } from '../platform/platform-errors.js';

export type AppSide = { app: string; release: Release; commit: string | null };

export type AppDiff = {
  upstream: AppSide;
  downstream: AppSide;
  comparison: Comparison;
  /** `github` when the linked repository answered; `releases` when built from the apps' own release history. */
  source: 'github' | 'releases';
  /** True when the commit list may be incomplete (built from releases, or history ran out before a match). */
  partial: boolean;
  /** Commits the downstream has that the upstream lacks (a hotfix made there): promoting removes them. */
  behindCommits: Commit[];
};

/** How far back the release-history fallback looks; each release costs one slug read against the rate limit. */
const HISTORY_DEPTH = 20;

/**
 * What `upstream` runs that `downstream` lacks. With a linked repository, GitHub's compare of the two slugs'
 * commits; without one (or when GitHub does not know the commits), the upstream's releases back to the one
 * whose commit the downstream runs, each release's slug commit standing for one commit.
 */
export async function diffApps(
  ports: { platform: Platform; codeHost: CodeHost },
  apps: { upstream: string; downstream: string; repo: string | null },
): Promise<AppDiff> {
  const [upstream, downstream] = await Promise.all([
    currentSide(ports.platform, apps.upstream),
    currentSide(ports.platform, apps.downstream),
  ]);
  if (apps.repo && upstream.commit && downstream.commit) {
    try {
      const comparison = await ports.codeHost.compare(apps.repo, downstream.commit, upstream.commit);
      // What promoting would take away: the same compare the other way round lists those commits.
      const behindCommits =
        comparison.behindBy > 0
          ? (await ports.codeHost.compare(apps.repo, upstream.commit, downstream.commit)).commits
          : [];
      return {
        upstream,
        downstream,
        comparison,
        source: 'github',
        partial: comparison.commits.length < comparison.aheadBy,
        behindCommits,
      };
    } catch (err) {
      // The commits are not in that repository (wrong link, force-push): fall back rather than fail the diff.
      if (!(err instanceof PlatformNotFoundError)) throw err;
    }
  }
  return {
    upstream,
    downstream,
    ...(await diffFromReleases(ports.platform, upstream, downstream)),
    source: 'releases',
    behindCommits: [],
  };
}

async function currentSide(platform: Platform, app: string): Promise<AppSide> {
  const release = await currentRelease(platform, app);
  const commit = release.slugId ? (await platform.getSlug(app, release.slugId)).commit : null;
  return { app, release, commit };
}

async function diffFromReleases(
  platform: Platform,
  upstream: AppSide,
  downstream: AppSide,
): Promise<{ comparison: Comparison; partial: boolean }> {
  const same =
    upstream.release.slugId === downstream.release.slugId ||
    (upstream.commit !== null && upstream.commit === downstream.commit);
  if (same)
    return { comparison: { status: 'identical', aheadBy: 0, behindBy: 0, commits: [], url: null }, partial: false };
  const history = await releaseCommits(platform, upstream.app);
  // A downstream with no build yet (its empty first release) lacks everything and has nothing to lose.
  if (!downstream.release.slugId) {
    const commits = history.map((h) => h.commit).filter((c, i, all) => all.findIndex((o) => o.sha === c.sha) === i);
    return {
      comparison: { status: 'ahead', aheadBy: commits.length, behindBy: 0, commits, url: null },
      partial: true,
    };
  }

  const matchAt = history.findIndex(
    (h) =>
      h.release.slugId === downstream.release.slugId || (h.commit.sha !== '' && h.commit.sha === downstream.commit),
  );
  // What the upstream ran at or before the downstream's build is not ahead, even if released again since (a rollback).
  const older = new Set(matchAt < 0 ? [] : history.slice(matchAt).map((h) => h.commit.sha));
  const ahead: Commit[] = [];
  for (const { commit } of matchAt < 0 ? history : history.slice(0, matchAt)) {
    if (!older.has(commit.sha) && !ahead.some((c) => c.sha === commit.sha)) ahead.push(commit);
  }
  if (ahead.length > 0 && matchAt >= 0) {
    return {
      comparison: { status: 'ahead', aheadBy: ahead.length, behindBy: 0, commits: ahead, url: null },
      partial: true,
    };
  }
  // The downstream runs something the upstream lacks (a hotfix, or the upstream rolled back): it is at least one
  // commit behind; how many, the releases cannot tell.
  const status = ahead.length > 0 ? 'diverged' : 'behind';
  return { comparison: { status, aheadBy: ahead.length, behindBy: 1, commits: ahead, url: null }, partial: true };
}

/** The upstream's recent releases with their slug's commit (a release stands for its head commit), newest first. */
async function releaseCommits(platform: Platform, app: string): Promise<{ release: Release; commit: Commit }[]> {
  const slugs = new Map<string, Promise<{ commit: string | null; commitDescription: string | null }>>();
  const out: { release: Release; commit: Commit }[] = [];
  for (const release of await platform.listReleases(app, { limit: HISTORY_DEPTH })) {
    if (!release.slugId) continue;
    // Rollbacks and promotions reuse slugs: read each one once.
    const slugId = release.slugId;
    if (!slugs.has(slugId)) slugs.set(slugId, platform.getSlug(app, slugId));
    const slug = await (slugs.get(slugId) as Promise<{ commit: string | null; commitDescription: string | null }>);
    const commit = {
      sha: slug.commit ?? '',
      message: slug.commitDescription ?? release.description,
      author: release.userEmail,
      date: release.createdAt,
    };
    out.push({ release, commit });
  }
  return out;
}
