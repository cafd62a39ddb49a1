import type { Db } from 'mongodb';
import type { ThrowawayServer } from '../../src/local-services/throwaway-server.js';
import type { Simulator } from '../../src/simulator/start-simulator.js';
import type { simControl } from '../support/sim-control.js';
import type { CardPlace } from './card-index.js';
import type { FaultLedger } from './fault-ledger.js';
import type { PromotionWatch } from './promotion-watch.js';
import type { SeededRandom } from './seeded-random.js';
import type { SlackSender } from './slack-sender.js';
import type { BotRoleProcess } from './start-bot-role.js';
import type { SimProxy } from './start-sim-proxy.js';

/** What the injectors reach: the servers and processes to break, and where they write down what they did. */
export type FaultDeps = {
  redis: ThrowawayServer;
  ferret: ThrowawayServer;
  workers: BotRoleProcess[];
  /** The simulator proxies of the workers: who is in the middle of which platform call. */
  workerProxies: SimProxy[];
  /** The simulator in this process: its fault list shows how much of a rule is used up. */
  simulator: Simulator;
  sim: ReturnType<typeof simControl>;
  sender: SlackSender;
  /** The web role's HTTP address (its /readyz says whether it reaches its stores). */
  webUrl: string;
  db: Db;
  watch: PromotionWatch;
  random: SeededRandom;
  ledger: FaultLedger;
  openCards: Map<string, CardPlace>;
  apps: number;
  /** Whether the simulator makes a write late on request (applyLateMs); decided once at the start. */
  lateWrites: boolean;
  /** Measurements that finish after their fault (a promotion's end, the first success after Redis is back). */
  measuring: Promise<unknown>[];
};

/** A pause that is the fault itself (an outage lasts this long), or a supervisor's restart delay: nothing to wait for. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
