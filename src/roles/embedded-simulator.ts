import type { startEmbeddedSimulator } from '../simulator/start-embedded-simulator.js';

export type EmbeddedSimulator = Awaited<ReturnType<typeof startEmbeddedSimulator>>;
