/**
 * Ink's wrap-text (ink/build/wrap-text.js: a Text node's `wrap` prop applied with
 * wrap-ansi or cli-truncate) with its cache bounded. Ink's keeps every text, width and
 * mode it has ever wrapped, so a dashboard following a journal all day grows by every
 * line it has shown.
 */
import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import {BoundedMap} from './bounded-map.js';

/** Most wrapped texts kept; a frame wraps about 40. */
export const WRAP_CACHE_SIZE = 512;

/** Ink's Text `wrap` modes. */
export type WrapMode = 'wrap' | 'end' | 'middle' | 'truncate' | 'truncate-end' | 'truncate-middle' | 'truncate-start';

const wrapped = new BoundedMap<string, string>(WRAP_CACHE_SIZE);

/**
 * `text` fitted to `maxWidth` cells: wrapped (hard, spaces kept) for `wrap`, cut with an
 * ellipsis at the end, middle or start for the truncate modes, unchanged otherwise.
 */
export default function wrapText(text: string, maxWidth: number, wrapType: WrapMode): string {
	const key = `${wrapType}\u0000${maxWidth}\u0000${text}`;
	const cached = wrapped.get(key);
	if (cached !== undefined) return cached;
	let result = text;
	if (wrapType === 'wrap') result = wrapAnsi(text, maxWidth, {trim: false, hard: true});
	else if (wrapType.startsWith('truncate')) {
		const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
		result = cliTruncate(text, maxWidth, {position});
	}
	return wrapped.set(key, result);
}

/** Texts whose wrapped form is held now (tests). */
export function wrapCacheSize(): number {
	return wrapped.size;
}
