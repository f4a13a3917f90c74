/**
 * The RCON console history of each instance on disk:
 * `STATE/instances/NAME/console-history` (mode 0600, replaced atomically).
 */
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {posix as path} from 'node:path';
import {formatHistory, parseHistory} from '../core/console-history.js';
import type {Paths} from '../core/paths.js';

/** Path of one instance's history file. */
export function historyPath(paths: Paths, name: string): string {
	return path.join(paths.instances, name, 'console-history');
}

/** Reads the history (oldest first); an absent or unreadable file is an empty history. */
export function loadHistory(paths: Paths, name: string): string[] {
	try {
		return parseHistory(readFileSync(historyPath(paths, name), 'utf8'));
	} catch {
		return [];
	}
}

/**
 * Writes the history. Errors (read-only tree, deleted instance) are swallowed: losing
 * history must not break the console.
 */
export function saveHistory(paths: Paths, name: string, entries: readonly string[]): void {
	const file = historyPath(paths, name);
	const tmp = `${file}.tmp`;
	try {
		writeFileSync(tmp, formatHistory(entries), {mode: 0o600});
		renameSync(tmp, file);
	} catch {
		// see above
	}
}
