import type { App } from '@slack/bolt';
import type { AppsStore } from '../../pipelines/apps-store.js';
import type { PipelineService } from '../../pipelines/pipeline-service.js';
import { type ApproverDirectory, isAllowedApprover } from '../../promotions/approver-directory.js';
import type { Promotion } from '../../promotions/promotion.js';
import type { PromotionsStore } from '../../promotions/promotions-store.js';
import { homeView } from '../blocks/home-view.js';
import { lockLine } from '../blocks/lock-line.js';
import type { CardPlaces } from '../card-places.js';

type HomeDeps = {
  pipelines: PipelineService;
  apps: Pick<AppsStore, 'locked'>;
  now: () => Date;
  promotions: PromotionsStore;
  approvers: ApproverDirectory;
  places: Pick<CardPlaces, 'ofMany'>;
};

/** Renders the App Home tab whenever a user opens it. */
export function registerAppHome(app: App, deps: HomeDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    const [{ pipelines }, locked, pending, recent] = await Promise.all([
      deps.pipelines.show(teamId),
      deps.apps.locked(teamId),
      deps.promotions.ofTeam(teamId, { states: ['pending_approval'], limit: 50 }),
      deps.promotions.ofTeam(teamId, { limit: 10 }),
    ]);
    // If Slack cannot say who is in a group, show the rest of the tab rather than nothing.
    const waiting = await waitingFor(deps.approvers, teamId, event.user, pending).catch(() => []);
    const places = await deps.places.ofMany([...waiting, ...recent].map((p) => p.id));
    const channels = new Map([...places].map(([id, place]) => [id, place.channelId]));
    await client.views.publish({
      user_id: event.user,
      view: homeView({
        pipelines,
        locks: locked.map((a) => lockLine(a.app, a.lock, deps.now())),
        waiting,
        recent,
        channels,
      }),
    });
  });
}

/** Requests this user could approve now: allowed, not theirs (unless self-approval), not yet approved by them. */
async function waitingFor(directory: ApproverDirectory, teamId: string, userId: string, pending: Promotion[]) {
  const waiting: Promotion[] = [];
  for (const p of pending) {
    const own = p.requestedBy === userId && !p.policy.selfApproval;
    const given = p.approvals.some((a) => a.userId === userId);
    if (!own && !given && (await isAllowedApprover(directory, teamId, userId, p.policy))) waiting.push(p);
  }
  return waiting;
}
