/**
 * The journal pane's memory bound and its scrolling arithmetic. Pure apart from
 * the ring's own mutation.
 *
 * Memory: at most {@link JOURNAL_CAP} lines, each message cut to
 * {@link MESSAGE_CAP} characters, so the pane holds at most about
 * JOURNAL_CAP × MESSAGE_CAP × 2 bytes of text (≈ 10 MiB) however fast the
 * journal runs.
 */
import type {JournalEntry} from '../core/journal.js';

/** Most journal lines kept for the followed unit; older lines are dropped. */
export const JOURNAL_CAP = 5000;

/** Characters kept of one message; the rest is replaced by a marker with the count. */
export const MESSAGE_CAP = 1000;

/** Lines fetched before following (the helper's `--lines`). */
export const JOURNAL_BACKLOG = 200;

/** A kept journal line: the entry plus its sequence number (1, 2, … in arrival order). */
export type JournalLine = JournalEntry & Readonly<{seq: number}>;

/** Cuts a message to `cap` characters (UTF-16 code units, never inside a surrogate pair), marking how much was dropped. */
export function capMessage(message: string, cap = MESSAGE_CAP): string {
	if (message.length <= cap) return message;
	let end = cap;
	const code = message.charCodeAt(end - 1);
	if (code >= 0xd800 && code <= 0xdbff) end--;
	return `${message.slice(0, end)}… [${message.length - end} more characters]`;
}

/** A fixed-size ring of journal lines: O(1) append, oldest dropped first. */
export class JournalRing {
	private readonly slots: Array<JournalLine | undefined>;
	private start = 0;
	private count = 0;
	private seq = 0;
	/** `__CURSOR` of the newest line that had one: where a restarted follower resumes. */
	lastCursor: string | null = null;

	constructor(readonly capacity = JOURNAL_CAP) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
		this.slots = new Array<JournalLine | undefined>(capacity);
	}

	/** Lines held now (≤ capacity). */
	get size(): number {
		return this.count;
	}

	/** Lines ever pushed. */
	get total(): number {
		return this.seq;
	}

	/** Appends one entry (its message capped at {@link MESSAGE_CAP}). */
	push(entry: JournalEntry): void {
		const line: JournalLine = {...entry, message: capMessage(entry.message), seq: ++this.seq};
		if (entry.cursor !== null) this.lastCursor = entry.cursor;
		if (this.count < this.capacity) {
			this.slots[(this.start + this.count) % this.capacity] = line;
			this.count++;
		} else {
			this.slots[this.start] = line;
			this.start = (this.start + 1) % this.capacity;
		}
	}

	/** The held lines, oldest first (a new array). */
	toArray(): JournalLine[] {
		const result: JournalLine[] = [];
		for (let i = 0; i < this.count; i++) result.push(this.slots[(this.start + i) % this.capacity]!);
		return result;
	}
}

/** Lines matching a filter: case-insensitive substring of the message; all lines for an empty filter. */
export function filterLines(lines: readonly JournalLine[], filter: string): readonly JournalLine[] {
	if (filter === '') return lines;
	const needle = filter.toLowerCase();
	return lines.filter((l) => l.message.toLowerCase().includes(needle));
}

/** What the pane shows: the window of lines and how many matching lines lie above and below it. */
export type JournalWindow = Readonly<{lines: readonly JournalLine[]; above: number; below: number}>;

/** Index one past the last line with seq ≤ anchor (binary search; lines are in seq order). */
function endIndex(lines: readonly JournalLine[], anchor: number | null): number {
	if (anchor === null) return lines.length;
	let lo = 0;
	let hi = lines.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (lines[mid]!.seq <= anchor) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * The window of `height` lines ending at the anchor (the seq of the bottom line), or at the
 * newest line when following (anchor null).
 * @param lines matching lines, oldest first
 */
export function journalWindow(lines: readonly JournalLine[], anchor: number | null, height: number): JournalWindow {
	const end = endIndex(lines, anchor);
	const start = Math.max(0, end - Math.max(0, height));
	return {lines: lines.slice(start, end), above: start, below: lines.length - end};
}

/** A scroll request on the journal pane. */
export type JournalMove = 'page-up' | 'page-down' | 'top' | 'bottom';

/**
 * The new anchor after a scroll. Scrolling down past the newest line follows again (null)
 * unless `paused`, where the view stays on the newest line seen.
 * @param lines matching lines, oldest first
 * @param height lines the pane shows
 * @returns the seq of the new bottom line, or null to follow
 */
export function scrollJournal(lines: readonly JournalLine[], anchor: number | null, height: number, move: JournalMove, paused: boolean): number | null {
	const page = Math.max(1, height);
	const newest = lines.at(-1)?.seq ?? null;
	const end = Math.max(Math.min(lines.length, page), endIndex(lines, anchor));
	const at = (index: number) => lines[Math.max(0, Math.min(lines.length, index) - 1)]?.seq ?? null;
	switch (move) {
		case 'page-up':
			return at(Math.max(Math.min(lines.length, page), end - page)) ?? anchor;
		case 'top':
			return at(Math.min(lines.length, page)) ?? anchor;
		case 'page-down':
			return end + page >= lines.length ? (paused ? newest : null) : at(end + page);
		case 'bottom':
			return paused ? newest : null;
	}
}

/** Splits text around case-insensitive matches of `needle`, for highlighting. */
export function splitMatches(text: string, needle: string): Array<Readonly<{text: string; match: boolean}>> {
	if (needle === '') return [{text, match: false}];
	// Lower-casing can change a string's length (e.g. U+0130); then match exactly, so indexes stay valid.
	const folds = text.toLowerCase().length === text.length;
	const lower = folds ? text.toLowerCase() : text;
	const n = folds ? needle.toLowerCase() : needle;
	const parts: Array<{text: string; match: boolean}> = [];
	let from = 0;
	for (let at = lower.indexOf(n); at >= 0 && n.length > 0; at = lower.indexOf(n, at + n.length)) {
		if (at > from) parts.push({text: text.slice(from, at), match: false});
		parts.push({text: text.slice(at, at + n.length), match: true});
		from = at + n.length;
	}
	if (from < text.length) parts.push({text: text.slice(from), match: false});
	return parts;
}
