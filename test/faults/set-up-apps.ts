import { waitFor } from '../../src/local-services/wait-for.js';
import type { simControl } from '../support/sim-control.js';
import type { SlackFake } from '../support/slack-fake.js';
import { channelOf, downstreamOf, PEOPLE, POLICY_ARGS, upstreamOf } from './fault-people.js';
import type { SlackSender } from './slack-sender.js';

/**
 * Makes `count` pipelines `stage-N ---> prod-N` as a team would: the apps exist on the platform, then everything
 * else is said in Slack (`/pipeline add`, `/pipeline policy`), each answer checked.
 */
export async function setUpApps(
  deps: { sim: ReturnType<typeof simControl>; sender: SlackSender; slack: SlackFake },
  count: number,
) {
  const ns = Array.from({ length: count }, (_, i) => i + 1);
  for (const n of ns) {
    await deps.sim.addApp(upstreamOf(n));
    await deps.sim.addApp(downstreamOf(n));
    await deps.sim.deploy(upstreamOf(n), `first build of ${upstreamOf(n)}`);
  }
  // A few at a time: the web role is one process, and these are writes under a team-wide lease.
  for (let i = 0; i < ns.length; i += 4) {
    await Promise.all(
      ns.slice(i, i + 4).map(async (n) => {
        await say(deps, n, `add ${upstreamOf(n)} ${downstreamOf(n)}`, /downstream of|already promotes/);
        await say(deps, n, `policy ${downstreamOf(n)} ${POLICY_ARGS}`, /changed the promotion policy|already so/);
      }),
    );
  }
}

async function say(deps: { sender: SlackSender; slack: SlackFake }, n: number, text: string, expected: RegExp) {
  const sent = await deps.sender.command(PEOPLE.requester, channelOf(n), text);
  if (sent.status !== 200) throw new Error(`/pipeline ${text}: HTTP ${sent.status} ${sent.text}`);
  const answer = await waitFor(
    `the answer to /pipeline ${text}`,
    () => deps.slack.responsesTo(sent.id)[0] as { text?: string } | undefined,
    30_000,
  );
  if (!expected.test(answer.text ?? '')) throw new Error(`/pipeline ${text} answered: ${answer.text}`);
}
