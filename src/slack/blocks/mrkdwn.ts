/** Text from elsewhere (commit messages, release descriptions) must not turn into links or `<!channel>` pings. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A short sha, linked to the commit when the app's repository is known. */
export function commitLink(sha: string, repo: string | null): string {
  const short = `\`${escapeMrkdwn(sha.slice(0, 7))}\``;
  return repo && /^[0-9a-f]{40}$/.test(sha) ? `<https://github.com/${repo}/commit/${sha}|${short}>` : short;
}

/** A time Slack renders in each reader's timezone (`{ago}` keeps itself current: "3 minutes ago"). */
export function slackDate(at: Date, format: string): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${at.toISOString()}>`;
}
