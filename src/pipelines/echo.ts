/** A bounded, printable piece of what someone typed, for quoting it back: control characters are never echoed. */
export function echo(text: string, max = 40): string {
  const printable = text.replace(/[\p{Cc}\p{Cf}]/gu, '');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
