import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import type { SimState } from './sim-state.js';

const commit = z.object({ message: z.string().min(1), author: z.string().min(1) });
const seedSchema = z.object({
  apps: z.array(z.object({ name: z.string(), repo: z.string().optional() })),
  deploys: z
    .array(
      z.union([
        z.object({ app: z.string(), commits: z.array(commit).min(1), userEmail: z.string().optional() }),
        // A release of another app's current slug, as a promotion makes (`Promote <from> v<N> <sha7>`).
        z.object({ app: z.string(), copyFrom: z.string() }),
      ]),
    )
    .default([]),
});

export type Seed = z.infer<typeof seedSchema>;

/** Reads a seed file (JSON or YAML, by extension) and checks its shape. */
export async function loadSeed(path: string): Promise<Seed> {
  const text = await readFile(path, 'utf8');
  const data = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  const seed = seedSchema.safeParse(data);
  if (!seed.success) {
    const issue = seed.error.issues[0];
    throw new InvalidInputError(
      `Seed ${path} is not valid at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
    );
  }
  return seed.data;
}

export function applySeed(state: SimState, seed: Seed): void {
  for (const app of seed.apps) state.addApp(app.name, app.repo ?? null);
  for (const deploy of seed.deploys) {
    if ('commits' in deploy) {
      state.deploy(deploy.app, deploy.commits, deploy.userEmail);
      continue;
    }
    const source = state.currentRelease(deploy.copyFrom);
    if (!source.slugId) throw new InvalidInputError(`Seed: ${deploy.copyFrom} has no slug to copy yet.`);
    const commitSha = state.slugOf(deploy.copyFrom, source.slugId).commit ?? '';
    state.createRelease(
      deploy.app,
      source.slugId,
      `Promote ${deploy.copyFrom} v${source.version} ${commitSha.slice(0, 7)}`,
    );
  }
}
