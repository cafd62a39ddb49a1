/** The first whole lines that fit in `room` characters (newlines counted), so a section stays within Block Kit's limit. */
export function fitLines(lines: readonly string[], room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}
