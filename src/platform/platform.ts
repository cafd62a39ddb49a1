/**
 * The two ports to the outside world that promotions need (DESIGN §7). Adapters: `heroku` (Platform API v3)
 * and `github` (compare API); the simulator speaks the same HTTP, so one contract suite checks both.
 */
export type AppInfo = { id: string; name: string; webUrl: string | null; releasedAt: Date | null };

export type ReleaseStatus = 'pending' | 'succeeded' | 'failed' | 'expired';

export type Release = {
  id: string;
  version: number;
  description: string;
  status: ReleaseStatus;
  /** True for the release the app runs now. */
  current: boolean;
  /** Null for releases without a slug (e.g. the first, empty release). */
  slugId: string | null;
  userEmail: string;
  createdAt: Date;
};

export type Slug = { id: string; commit: string | null; commitDescription: string | null };

export interface Platform {
  getApp(app: string): Promise<AppInfo>;
  /** Newest first; `limit` defaults to 10. */
  listReleases(app: string, opts?: { limit?: number }): Promise<Release[]>;
  getSlug(app: string, slugId: string): Promise<Slug>;
  createRelease(app: string, input: { slug: string; description: string }): Promise<Release>;
  /** A new release running `releaseId`'s slug and config, described `Rollback to vN`. */
  rollback(app: string, releaseId: string): Promise<Release>;
}

export type Commit = { sha: string /** First line only. */; message: string; author: string; date: Date | null };

export type Comparison = {
  status: 'ahead' | 'behind' | 'diverged' | 'identical';
  aheadBy: number;
  behindBy: number;
  /** Commits in head not in base, newest first; may be fewer than `aheadBy` (GitHub lists at most 250). */
  commits: Commit[];
  url: string | null;
};

export interface CodeHost {
  compare(repo: string, base: string, head: string): Promise<Comparison>;
}
