/**
 * The pipeline graph's rules. A link says "promote `app` into `downstream`". Every app has at most one
 * downstream and any number of upstreams, and links never form a cycle, so each pipeline is a tree that
 * drains into one final app (its root, usually production).
 */
export type Link = { app: string; downstream: string };

export type LinkCheck =
  | { kind: 'ok' }
  | { kind: 'exists' }
  | { kind: 'has-downstream'; current: string }
  | { kind: 'cycle'; cycle: string[] };

/** What adding `app ---> downstream` would do to the graph `links`. */
export function checkNewLink(links: readonly Link[], app: string, downstream: string): LinkCheck {
  const current = downstreamOf(links, app);
  if (current === downstream) return { kind: 'exists' };
  if (current !== undefined) return { kind: 'has-downstream', current };
  const cycle = cycleThrough(links, app, downstream);
  return cycle ? { kind: 'cycle', cycle } : { kind: 'ok' };
}

/**
 * The cycle that `app ---> downstream` would close, as the apps in promotion order starting and ending with
 * `app`, or undefined when there is none. A self-link is the shortest cycle.
 */
export function cycleThrough(links: readonly Link[], app: string, downstream: string): string[] | undefined {
  const path = [app];
  const seen = new Set<string>();
  for (let next: string | undefined = downstream; next !== undefined; next = downstreamOf(links, next)) {
    path.push(next);
    if (next === app) return path;
    // A cycle that does not pass through `app` is not ours to report (and the rules keep the graph free of them).
    if (seen.has(next)) return undefined;
    seen.add(next);
  }
  return undefined;
}

export function downstreamOf(links: readonly Link[], app: string): string | undefined {
  return links.find((link) => link.app === app)?.downstream;
}

export function upstreamsOf(links: readonly Link[], app: string): string[] {
  return links
    .filter((link) => link.downstream === app)
    .map((link) => link.app)
    .sort();
}

/** The last app of the chain `app` is in: follow downstream links until there are none. */
export function rootOf(links: readonly Link[], app: string): string {
  const seen = new Set([app]);
  let root = app;
  for (let next = downstreamOf(links, root); next !== undefined && !seen.has(next); next = downstreamOf(links, next)) {
    seen.add(next);
    root = next;
  }
  return root;
}

/** The roots of every pipeline in `links`, sorted by name. */
export function rootsOf(links: readonly Link[]): string[] {
  return [...new Set(links.map((link) => rootOf(links, link.app)))].sort();
}
