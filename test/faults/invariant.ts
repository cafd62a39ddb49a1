/** One checked property of the run: its printed value, whether it held, and what shows it did not. */
export type Invariant = { name: string; value: string; ok: boolean; evidence: string[] };

/** A count that must be zero. */
export function zeroCount(name: string, evidence: string[], count = evidence.length): Invariant {
  return { name, value: String(count), ok: count === 0, evidence };
}
