/** Text from elsewhere (commit messages, release descriptions) must not turn into links or `<!channel>` pings. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ONE_PERSON_OR_CHANNEL = /(<[@#][UWCG][A-Z0-9]+(?:\|[^<>]*)?>)/;

/**
 * Text a person typed (a lock reason, a rejection), or a message of ours that quotes it: a mention of one user
 * or channel stays a mention; everything else is shown as typed, so `<!channel>`, `<!here>`, group pings and
 * links never fire from the bot's messages.
 */
export function userText(text: string): string {
  return text
    .replace(/[^\P{Cc}\n\t]/gu, ' ')
    .split(ONE_PERSON_OR_CHANNEL)
    .map((part, i) => (i % 2 === 1 ? part.replace(/\|[^<>]*>$/, '>') : escapeMrkdwn(broadcastsAsTyped(part))))
    .join('');
}

/** Slack sends `@channel` as `<!channel>` and `@sre` as `<!subteam^S1|@sre>`; shown as the person typed them. */
function broadcastsAsTyped(text: string): string {
  return text
    .replace(/<!(channel|here|everyone)(?:\|[^<>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+\|(@[^<>]*)>/g, '$1');
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
