/**
 * Journal entries as `journalctl --output=json` prints them (journalctl(1),
 * systemd.journal-fields(7)): one JSON object per line. A field that is not
 * valid UTF-8 or holds binary data is an array of byte values; a field with
 * several values is an array of those. Pure: no I/O.
 */

/** One journal line as l4d2ctl shows it. */
export type JournalEntry = Readonly<{
	/** `__CURSOR`: where to resume after this entry. */
	cursor: string | null;
	/** `__REALTIME_TIMESTAMP` in ms since the epoch; null if absent. */
	timeMs: number | null;
	/** syslog priority 0 (emerg) .. 7 (debug); 6 (info) when absent. */
	priority: number;
	/** `UNIT` for messages systemd (whose own `_SYSTEMD_UNIT` is init.scope) logs about the unit, else `_SYSTEMD_UNIT`. */
	unit: string | null;
	/** The message, decoded as UTF-8 with U+FFFD for bad bytes, control characters made visible. */
	message: string;
	/** `_PID` of the process that wrote the line (1 for systemd's own messages); null if absent. */
	pid: number | null;
}>;

/** Decodes a journal field value: string, byte array, array of values, or null. */
export function decodeField(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) {
		if (value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
			return Buffer.from(value as number[]).toString('utf8');
		}
		const first = value.find((v) => decodeField(v) !== null);
		return first === undefined ? null : decodeField(first);
	}
	if (typeof value === 'number') return String(value);
	return null;
}

/** Replaces C0 controls (except tab) and DEL with visible U+2400-style pictures, so a line cannot move the cursor. */
export function sanitizeMessage(text: string): string {
	return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => (c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0)))).replace(/\t/g, '    ');
}

function intField(value: unknown): number | null {
	const text = decodeField(value);
	if (text === null || !/^\d+$/.test(text)) return null;
	return Number(text);
}

/**
 * Parses one line of `journalctl -o json`.
 * @returns the entry, or null for an empty line or text that is not a JSON object
 */
export function parseJournalLine(line: string): JournalEntry | null {
	if (line.trim() === '') return null;
	let record: unknown;
	try {
		record = JSON.parse(line);
	} catch {
		return null;
	}
	if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
	const r = record as Record<string, unknown>;
	const realtime = intField(r.__REALTIME_TIMESTAMP);
	const priority = intField(r.PRIORITY);
	return {
		cursor: decodeField(r.__CURSOR),
		timeMs: realtime === null ? null : Math.floor(realtime / 1000),
		priority: priority !== null && priority <= 7 ? priority : 6,
		unit: decodeField(r.UNIT) ?? decodeField(r._SYSTEMD_UNIT),
		message: sanitizeMessage(decodeField(r.MESSAGE) ?? ''),
		pid: intField(r._PID),
	};
}

/**
 * Splits a chunk stream into lines. Keeps the partial tail between calls.
 * @returns a function taking the next chunk and returning the complete lines in it
 */
export function lineSplitter(): (chunk: string) => string[] {
	let tail = '';
	return (chunk) => {
		const parts = (tail + chunk).split('\n');
		tail = parts.pop() ?? '';
		return parts;
	};
}
