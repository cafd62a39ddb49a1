import { PLAYGROUND_CHANNELS, PLAYGROUND_GROUPS, PLAYGROUND_USERS } from './playground-workspace.js';

/**
 * What Slack does to a command's text when the app asks for escaping (`should_escape: true` in manifest.yml):
 * `@bob` becomes `<@U0BOB|bob>`, `#releases` `<#C0RELEASES|releases>`, `@sre` `<!subteam^S0SRE|@sre>`. Names
 * nobody has stay as typed, as in Slack.
 */
export function escapeMentions(text: string): string {
  return text.replace(
    /(^|[\s,=])([@#])([a-z0-9][a-z0-9._-]*)/gi,
    (whole, before: string, sigil: string, name: string) => {
      const lower = name.toLowerCase();
      if (sigil === '#') {
        const channel = PLAYGROUND_CHANNELS.find((c) => c.name === lower);
        return channel ? `${before}<#${channel.id}|${channel.name}>` : whole;
      }
      const user = PLAYGROUND_USERS.find((u) => u.name === lower);
      if (user) return `${before}<@${user.id}|${user.name}>`;
      const group = PLAYGROUND_GROUPS.find((g) => g.handle === lower);
      return group ? `${before}<!subteam^${group.id}|@${group.handle}>` : whole;
    },
  );
}
