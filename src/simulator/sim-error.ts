/** An answer the simulator gives in Heroku's error shape: `{ id, message }` with an HTTP status. */
export class SimError extends Error {
  readonly status: number;
  readonly id: string;
  readonly resource?: string;

  constructor(status: number, id: string, message: string, resource?: string) {
    super(message);
    this.name = 'SimError';
    this.status = status;
    this.id = id;
    this.resource = resource;
  }
}

export const notFound = (resource: 'app' | 'release' | 'slug' | 'commit') =>
  new SimError(404, 'not_found', `Couldn't find that ${resource}.`, resource);
