import { InvalidInputError } from '../../errors.js';

/** Words of a command; "double quotes" (straight or Slack's curly ones) keep spaces inside one word. */
export function tokenize(text: string): string[] {
  const normalized = text.replace(/[\u201c\u201d]/g, '"').trim();
  const words: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (let match = pattern.exec(normalized); match; match = pattern.exec(normalized)) {
    words.push(match[1] ?? match[2] ?? '');
  }
  const quotes = normalized.split('"').length - 1;
  if (quotes % 2 === 1) throw new InvalidInputError('A quote is not closed: put the reason between two " marks.');
  return words;
}
