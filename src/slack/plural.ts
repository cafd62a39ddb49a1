/** `1 approval`, `2 approvals`: a count with its noun, in the singular when it is one. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
