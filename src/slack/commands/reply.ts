/** What a command answers: ephemeral (only the asker sees it) unless it is news for the channel. */
export type Reply = { response_type: 'ephemeral' | 'in_channel'; text: string };

export const ephemeral = (text: string): Reply => ({ response_type: 'ephemeral', text });
export const inChannel = (text: string): Reply => ({ response_type: 'in_channel', text });
export const code = (text: string) => `\`\`\`\n${text}\n\`\`\``;
