/** How the bot's pino levels are numbered. */
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** The bot logs JSON lines; the terminal gets the ones at the demo's level, short. */
export function printBotLine(line: string, level: string, say: (line: string) => void): void {
  let entry: { level?: number; msg?: string; err?: { message?: string } | string };
  try {
    entry = JSON.parse(line);
  } catch {
    say(`bot: ${line}`);
    return;
  }
  if ((entry.level ?? 30) < (LEVELS[level] ?? 40)) return;
  const name = Object.keys(LEVELS).find((k) => LEVELS[k] === entry.level) ?? 'log';
  const err = typeof entry.err === 'string' ? entry.err : entry.err?.message;
  say(`bot ${name}: ${entry.msg ?? ''}${err ? ` (${err})` : ''}`);
}
