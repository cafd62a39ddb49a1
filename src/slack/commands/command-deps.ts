import type { Actor } from '../../actor.js';
import type { AuditStore } from '../../audit/audit-store.js';
import type { AppSettingsService } from '../../pipelines/app-settings-service.js';
import type { ChannelService } from '../../pipelines/channel-service.js';
import type { PipelineService } from '../../pipelines/pipeline-service.js';
import type { Platform } from '../../platform/platform.js';
import type { PromotionService } from '../../promotions/promotion-service.js';
import type { ChannelAccess, SubscriptionService } from '../../releases/subscription-service.js';
import type { CardPublisher } from '../card-publisher.js';

/** Who typed the command, where, and Slack's id of this one delivery (retries carry the same). */
export type CommandContext = Actor & { channelId: string; triggerId: string };

/** What the verbs' handlers may call. */
export type CommandDeps = {
  promotionService: PromotionService;
  cards: CardPublisher;
  pipelines: PipelineService;
  appSettings: AppSettingsService;
  channels: ChannelService;
  audit: AuditStore;
  platform: Platform;
  subscriptionService: SubscriptionService;
  /** Whether the bot can post in a channel (asked of Slack). */
  channelAccess: (channelId: string) => Promise<ChannelAccess>;
  now: () => Date;
};
