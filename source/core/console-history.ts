/**
 * RCON console command history: pure list operations, and the on-disk format
 * (one command per line, oldest first). No I/O.
 */

/** Most commands kept per instance. */
export const HISTORY_CAP = 200;

/** True for commands never written to history (they would put a password on disk). */
export function isSecret(command: string): boolean {
	return /\b(rcon_password|sv_password)\b/i.test(command);
}

/**
 * Adds a command at the end: trimmed, not when empty or secret, not twice in a row, at most `cap` kept.
 * @returns a new list
 */
export function pushHistory(entries: readonly string[], command: string, cap = HISTORY_CAP): string[] {
	const text = command.trim();
	if (text === '' || isSecret(text) || entries.at(-1) === text) return [...entries];
	return [...entries, text].slice(-cap);
}

/**
 * Moves through the history like a shell: `up` goes to older commands, `down` to newer
 * ones and past the newest back to an empty line.
 * @param cursor index into entries being shown, or null when editing a new line
 * @returns the new cursor and the text to show
 */
export function recall(entries: readonly string[], cursor: number | null, direction: 'up' | 'down'): {cursor: number | null; text: string} {
	if (entries.length === 0) return {cursor: null, text: ''};
	if (direction === 'up') {
		const next = cursor === null ? entries.length - 1 : Math.max(0, cursor - 1);
		return {cursor: next, text: entries[next] ?? ''};
	}
	if (cursor === null || cursor >= entries.length - 1) return {cursor: null, text: ''};
	return {cursor: cursor + 1, text: entries[cursor + 1] ?? ''};
}

/** Parses the history file: one command per line; blank and secret lines dropped; the last `cap` kept. */
export function parseHistory(text: string, cap = HISTORY_CAP): string[] {
	return text
		.split('\n')
		.map((l) => l.replace(/\r$/, ''))
		.filter((l) => l.trim() !== '' && !isSecret(l))
		.slice(-cap);
}

/** The history file's text. */
export function formatHistory(entries: readonly string[]): string {
	return entries.length === 0 ? '' : `${entries.join('\n')}\n`;
}
