import { callJson } from './call-json.js';
import type { CodeHost, Comparison } from './platform.js';

export type GithubOptions = { apiUrl: string; token?: string; timeoutMs?: number; fetch?: typeof fetch };

type GithubComparison = {
  status: Comparison['status'];
  ahead_by: number;
  behind_by: number;
  html_url: string;
  commits: {
    sha: string;
    commit: { message: string; author: { name: string; date: string } | null };
    author: { login: string } | null;
  }[];
};

/** GitHub's "compare two commits"; a token is needed only for private repositories. */
export function createGithubCodeHost(options: GithubOptions): CodeHost {
  return {
    compare: async (repo, base, head) => {
      const path = `repos/${repo}/compare/${encodeURIComponent(base)}...${encodeURIComponent(head)}`;
      const answer = await callJson({
        service: 'GitHub',
        method: 'GET',
        url: new URL(path, options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`).toString(),
        headers: {
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'pipeline-bot/0.1',
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        },
        timeoutMs: options.timeoutMs ?? 10_000,
        fetch: options.fetch,
      });
      const body = answer.body as GithubComparison;
      return {
        status: body.status,
        aheadBy: body.ahead_by,
        behindBy: body.behind_by,
        url: body.html_url,
        // GitHub lists oldest first, like `git log --reverse`; we show newest first, like `git log`.
        commits: [...body.commits].reverse().map((c) => ({
          sha: c.sha,
          message: c.commit.message.split('\n')[0] ?? '',
          author: c.commit.author?.name ?? c.author?.login ?? 'unknown',
          date: c.commit.author ? new Date(c.commit.author.date) : null,
        })),
      };
    },
  };
}
