/** Durations on the command line. Pure. */
import {Left4meError} from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/**
 * Parses `90`, `90s`, `5m`, `1h30m`, `500ms` (plain numbers are seconds).
 * @returns milliseconds, 0 < ms <= 7 days
 * @throws Left4meError('usage')
 */
export function parseDuration(flag: string, text: string): number {
	const bad = () => new Left4meError('usage', `${flag} must be a duration like 90s, 5m or 1h30m (got "${text}")`);
	if (/^\d{1,7}$/.test(text)) return check(Number(text) * 1000);
	if (!/^(\d{1,7}(ms|s|m|h))+$/.test(text)) throw bad();
	let total = 0;
	for (const m of text.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
	return check(total);

	function check(ms: number): number {
		if (ms <= 0 || ms > 7 * 86_400_000) throw bad();
		return ms;
	}
}

/** `1h02m`, `5m00s`, `42s`: a wait for humans. @param ms milliseconds */
export function formatWait(ms: number): string {
	const s = Math.round(ms / 1000);
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
