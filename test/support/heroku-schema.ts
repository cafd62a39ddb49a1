import { readFileSync } from 'node:fs';
import ajvDraft04, { type ValidateFunction } from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// CommonJS packages: under nodenext their classes sit on `default`.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

type Schema = Record<string, unknown>;

/**
 * Validators for Heroku's own JSON schema. As the reference says: drop `example` keys, and read the
 * hyper-schema's `strictProperties: true` as "every property present, no others".
 */
export function herokuSchema(): (definition: 'app' | 'release' | 'slug') => ValidateFunction {
  const raw = JSON.parse(readFileSync(new URL('../fixtures/heroku-platform-api.schema.json', import.meta.url), 'utf8'));
  const schema = strict(raw) as Schema;
  delete schema.$schema;
  delete schema.id;
  const ajv = new Ajv({ validateSchema: false, strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schema, 'heroku');
  return (definition) => ajv.getSchema(`heroku#/definitions/${definition}`) as ValidateFunction;
}

function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'example' && key !== 'strictProperties' && key !== 'links') out[key] = strict(value);
  }
  const source = node as Schema;
  if (source.strictProperties === true && typeof source.properties === 'object' && source.properties) {
    out.additionalProperties = false;
    out.required = Object.keys(source.properties);
  }
  return out;
}
