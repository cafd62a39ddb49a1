import { SimError } from './sim-error.js';
import type { SimRoute } from './sim-route.js';
import type { SimCommit, SimState } from './sim-state.js';

/** GitHub's compare API under `/github`, over the simulator's linear commit history of each repository. */
export function githubRoutes(state: SimState, publicUrl: () => string): SimRoute[] {
  return [
    {
      method: 'GET',
      pattern: /^\/github\/repos\/([^/]+)\/([^/]+)\/compare\/([^/]+?)\.\.\.([^/]+)$/,
      auth: 'github',
      handle: ({ params: [owner = '', name = '', base = '', head = ''] }) => {
        const repo = `${owner}/${name}`;
        const history = state.history(repo);
        const baseAt = indexOf(history, base);
        const headAt = indexOf(history, head);
        const ahead = Math.max(0, headAt - baseAt);
        const behind = Math.max(0, baseAt - headAt);
        const status = ahead > 0 ? 'ahead' : behind > 0 ? 'behind' : 'identical';
        const web = `https://github.com/${repo}`;
        const api = `${publicUrl()}/github/repos/${repo}`;
        return {
          status: 200,
          body: {
            url: `${api}/compare/${base}...${head}`,
            html_url: `${web}/compare/${base}...${head}`,
            permalink_url: `${web}/compare/${owner}:${history[baseAt]?.sha}...${owner}:${history[headAt]?.sha}`,
            diff_url: `${web}/compare/${base}...${head}.diff`,
            patch_url: `${web}/compare/${base}...${head}.patch`,
            base_commit: commitJson(history[baseAt] as SimCommit, repo, api),
            merge_base_commit: commitJson(history[Math.min(baseAt, headAt)] as SimCommit, repo, api),
            status,
            ahead_by: ahead,
            behind_by: behind,
            total_commits: ahead,
            // Oldest first, at most 250, as GitHub's unpaged compare answers.
            commits: history
              .slice(baseAt + 1, headAt + 1)
              .slice(-250)
              .map((c) => commitJson(c, repo, api)),
            files: [],
          },
        };
      },
    },
  ];
}

/** A full sha, or a prefix of at least 7 characters, as git accepts. */
function indexOf(history: SimCommit[], ref: string): number {
  const at = ref.length >= 7 ? history.findIndex((c) => c.sha.startsWith(ref)) : -1;
  if (at < 0) throw new SimError(404, 'not_found', `No commit found for SHA: ${ref}`);
  return at;
}

function commitJson(commit: SimCommit, repo: string, api: string) {
  const person = {
    name: commit.author,
    email: `${commit.author.toLowerCase().replace(/\W+/g, '.')}@example.com`,
    date: commit.date.toISOString(),
  };
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha.slice(0, 20)}`,
    url: `${api}/commits/${commit.sha}`,
    html_url: `https://github.com/${repo}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: { author: person, committer: person, message: commit.message, comment_count: 0 },
    author: null,
    committer: null,
    parents: [],
  };
}
