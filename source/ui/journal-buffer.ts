/**
 * The journal pane's memory bound. Pure.
 */
import type {JournalEntry} from '../core/journal.js';

/** Most journal lines kept for the selected instance; older lines are dropped. */
export const JOURNAL_CAP = 2000;

/** Lines fetched before following (the helper's `--lines`). */
export const JOURNAL_BACKLOG = 200;

/**
 * Appends entries, keeping at most `cap` (the newest).
 * @returns a new array; `lines` itself is not changed
 */
export function appendBounded(lines: readonly JournalEntry[], added: readonly JournalEntry[], cap = JOURNAL_CAP): readonly JournalEntry[] {
	if (added.length >= cap) return added.slice(added.length - cap);
	const keep = Math.max(0, lines.length + added.length - cap);
	return [...lines.slice(keep), ...added];
}
