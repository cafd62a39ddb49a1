import type { IncomingMessage } from 'node:http';

/** Arguments that hold objects: in a form they arrive as JSON strings. Anything else is text, as typed. */
const OBJECT_ARGUMENTS = new Set(['blocks', 'attachments', 'view', 'metadata']);

/** A Web API call's arguments: Slack's clients post forms (objects such as blocks and views as JSON strings) or JSON. */
export function webApiParams(req: IncomingMessage, body: string): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) return jsonObject(body);
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    params[key] = OBJECT_ARGUMENTS.has(key) ? (parsed(value) ?? value) : value;
  }
  return params;
}

/** A JSON object from a body; anything else (empty, malformed, not an object) is no arguments. */
export function jsonObject(text: string): Record<string, unknown> {
  const value = parsed(text);
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
