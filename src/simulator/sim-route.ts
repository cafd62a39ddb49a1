import type { IncomingHttpHeaders } from 'node:http';

export type SimAnswer = { status: number; body: unknown; headers?: Record<string, string> };

export type SimRequest = { params: string[]; body: unknown; headers: IncomingHttpHeaders };

/** `auth` says which API the route belongs to: its credentials rule, and whether faults apply (not to `control`). */
export type SimRoute = {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  auth: 'heroku' | 'github' | 'control';
  handle(request: SimRequest): SimAnswer;
};
