import type { FinalState } from './final-state.js';
import { type Invariant, zeroCount } from './invariant.js';
import { releaseFacts } from './release-facts.js';

/** No request made two releases: per app, each `Promote …` description (one upstream build) appears once. */
export function duplicateReleases(state: FinalState): Invariant {
  const evidence: string[] = [];
  let duplicates = 0;
  for (const [app, releases] of state.releases) {
    const byDescription = new Map<string, number[]>();
    for (const r of releases) {
      if (!r.description.startsWith('Promote ')) continue;
      byDescription.set(r.description, [...(byDescription.get(r.description) ?? []), r.version]);
    }
    for (const [description, versions] of byDescription) {
      if (versions.length < 2) continue;
      duplicates += versions.length - 1;
      const requests = state.promotions
        .filter((p) => p.downstream === app && releaseFacts(state, p).description === description)
        .map((p) => `${p._id} (${p.state})`);
      evidence.push(
        `${app}: "${description}" released ${versions.length} times (v${versions.join(', v')}); request ${requests.join(', ') || 'none found'}`,
      );
    }
  }
  return zeroCount('duplicate releases', evidence, duplicates);
}
