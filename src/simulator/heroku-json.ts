import { createHash } from 'node:crypto';
import type { SimApp, SimRelease, SimSlug, SimState } from './sim-state.js';

/**
 * The simulator's answers in Heroku's exact shapes (the schema's `strictProperties`: every field, no others),
 * checked against Heroku's own JSON schema in the tests.
 */
const STACK = { id: '5c5a4bd9-4d31-4b37-8c4d-6ae1c4b6b0a1', name: 'heroku-24' };
const REGION = { id: '59accabd-516d-4f0e-83e6-6e3757701145', name: 'us' };
const OWNER = { id: '8c6b0c7e-5b7f-4b0e-9b2c-1f0d5f3a2e11', email: 'you@yourcompany.com' };
const USER_ID = 'a0c5f1d4-3b1e-4f8a-9d2a-7c3e5b6a8f90';

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function appJson(app: SimApp, state: SimState) {
  const current = state.currentRelease(app.name);
  const suffix = createHash('sha1').update(app.id).digest('hex').slice(0, 12);
  return {
    acm: false,
    archived_at: null,
    base_image_name: null,
    build_stack: STACK,
    buildpack_provided_description: 'Node.js',
    buildpacks: null,
    created_at: iso(app.createdAt),
    current_build_architecture: [],
    generation: 'cedar',
    git_url: `https://git.heroku.com/${app.name}.git`,
    id: app.id,
    internal_routing: null,
    maintenance: false,
    name: app.name,
    owner: OWNER,
    organization: null,
    team: null,
    region: REGION,
    released_at: iso(current.createdAt),
    repo_size: null,
    slug_size: current.slugId ? 48_211_968 : null,
    space: null,
    stack: STACK,
    updated_at: iso(current.createdAt),
    web_url: `https://${app.name}-${suffix}.herokuapp.com/`,
  };
}

export function releaseJson(release: SimRelease, app: SimApp, current: boolean) {
  return {
    addon_plan_names: [],
    artifacts: release.slugId ? [{ type: 'slug', id: release.slugId }] : [],
    app: { name: app.name, id: app.id },
    created_at: iso(release.createdAt),
    description: release.description,
    id: release.id,
    updated_at: iso(release.createdAt),
    oci_image: null,
    slug: release.slugId ? { id: release.slugId } : null,
    status: release.status,
    user: { id: USER_ID, email: release.userEmail },
    version: release.version,
    current,
    output_stream_url: null,
    eligible_for_rollback: release.slugId !== null,
  };
}

export function slugJson(slug: SimSlug) {
  return {
    blob: { method: 'GET', url: `https://slugs.example.invalid/${slug.id}.tgz` },
    buildpack_provided_description: 'Node.js',
    checksum: `SHA256:${createHash('sha256').update(slug.id).digest('hex')}`,
    commit: slug.commit,
    commit_description: slug.commitDescription,
    created_at: iso(slug.createdAt),
    id: slug.id,
    process_types: { web: 'npm start' },
    size: 48_211_968,
    stack: STACK,
    updated_at: iso(slug.createdAt),
    deleted_at: null,
  };
}
