import type { Actor } from '../actor.js';
import { auditOf } from '../audit/audit-event.js';
import type { AuditStore } from '../audit/audit-store.js';
import { NotFoundError, RefusedError } from '../errors.js';
import type { Leases } from '../mongo/mongo-lease.js';
import { parseAppName } from './app-name.js';
import type { CouplingsStore } from './couplings-store.js';
import { drawPipelines } from './draw-pipelines.js';
import { checkNewLink, cycleThrough, downstreamOf, type Link, rootOf } from './pipeline-graph.js';

export type PipelineServiceDeps = { couplings: CouplingsStore; audit: AuditStore; leases: Leases; now: () => Date };

export type LinkChange = {
  upstream: string;
  downstream: string;
  /** False when the link was already there (nothing written, nothing audited). */
  changed: boolean;
  /** The pipeline as it is now, drawn for `show`. */
  pipeline: string;
};

/** `apps`: every app drawn (or the named one alone when it is in no pipeline). */
export type PipelinesView = { app?: string; pipelines: string[]; apps: string[] };

export type PipelineService = ReturnType<typeof createPipelineService>;

export function createPipelineService(deps: PipelineServiceDeps) {
  /** Graph changes of one team run one at a time, so two conflicting links can never both pass the check. */
  const serialized = <T>(teamId: string, work: () => Promise<T>) =>
    deps.leases.withLease(teamId, 'pipeline-graph', BUSY, work);

  async function addLink(actor: Actor, rawUpstream: string, rawDownstream: string): Promise<LinkChange> {
    const upstream = parseAppName(rawUpstream);
    const downstream = parseAppName(rawDownstream);
    return serialized(actor.teamId, async () => {
      const links = await deps.couplings.links(actor.teamId);
      const check = checkNewLink(links, upstream, downstream);
      if (check.kind === 'exists') return { upstream, downstream, changed: false, pipeline: draw(links, upstream) };
      if (check.kind === 'has-downstream') throw alreadyLinked(upstream, check.current);
      if (check.kind === 'cycle') throw cycleRefused(upstream, downstream, check.cycle);

      const at = deps.now();
      const inserted = await deps.couplings.insert({
        teamId: actor.teamId,
        app: upstream,
        downstream,
        createdBy: actor.userId,
        createdAt: at,
      });
      if (!inserted) {
        // Only reachable if the lease lapsed mid-change; the unique index still kept one downstream.
        const current = downstreamOf(await deps.couplings.links(actor.teamId), upstream);
        throw alreadyLinked(upstream, current ?? 'another app');
      }
      const after = await recheck(actor.teamId, upstream, downstream);
      await deps.audit.append(
        auditOf(actor, at, 'pipeline.link_added', upstream, { downstream }, [upstream, downstream]),
      );
      return { upstream, downstream, changed: true, pipeline: draw(after, upstream) };
    });
  }

  /**
   * Belt and braces for a lease that expired while its holder stalled: if a cycle slipped in anyway, the link
   * just written is taken back and the user is told, so a cycle never stays.
   */
  async function recheck(teamId: string, upstream: string, downstream: string): Promise<Link[]> {
    const links = await deps.couplings.links(teamId);
    const others = links.filter((link) => link.app !== upstream);
    const cycle = cycleThrough(others, upstream, downstream);
    if (!cycle) return links;
    await deps.couplings.remove(teamId, upstream, downstream);
    throw cycleRefused(upstream, downstream, cycle);
  }

  /** `pipelines`: what remains on both sides of the removed link (one drawing when they are still joined). */
  async function removeLink(
    actor: Actor,
    rawUpstream: string,
  ): Promise<{ upstream: string; downstream: string; pipelines: string[] }> {
    const upstream = parseAppName(rawUpstream);
    return serialized(actor.teamId, async () => {
      const removed = await deps.couplings.remove(actor.teamId, upstream);
      if (!removed) {
        throw new NotFoundError(
          `${upstream} has no downstream app, so there is no link to remove. See /pipeline show.`,
        );
      }
      const ends = [upstream, removed.downstream];
      await deps.audit.append(
        auditOf(actor, deps.now(), 'pipeline.link_removed', upstream, { downstream: removed.downstream }, ends),
      );
      const links = await deps.couplings.links(actor.teamId);
      const sides = [draw(links, upstream), draw(links, removed.downstream)].filter(Boolean);
      return { upstream, downstream: removed.downstream, pipelines: [...new Set(sides)] };
    });
  }

  async function show(teamId: string, rawApp?: string): Promise<PipelinesView> {
    const app = rawApp === undefined ? undefined : parseAppName(rawApp);
    const links = await deps.couplings.links(teamId);
    const linked = [...new Set(links.flatMap((link) => [link.app, link.downstream]))];
    const inView = (other: string) => app === undefined || rootOf(links, other) === rootOf(links, app);
    const apps = linked.filter(inView);
    return { app, pipelines: drawPipelines(links, app), apps: apps.length || !app ? apps : [app] };
  }

  return { addLink, removeLink, show };
}

const BUSY = 'Another change to your pipelines is still in progress; try again in a moment.';

function draw(links: readonly Link[], app: string): string {
  return drawPipelines(links, app)[0] ?? '';
}

function alreadyLinked(upstream: string, current: string): RefusedError {
  return new RefusedError(
    `${upstream} already promotes to ${current}, and an app has one downstream. ` +
      `Run /pipeline remove ${upstream} first if you mean to change it.`,
  );
}

function cycleRefused(upstream: string, downstream: string, cycle: string[]): RefusedError {
  const why =
    cycle.length === 2 ? 'an app cannot promote to itself' : `it would close a cycle: ${cycle.join(' ---> ')}`;
  return new RefusedError(`Cannot make ${downstream} the downstream of ${upstream}: ${why}.`);
}
