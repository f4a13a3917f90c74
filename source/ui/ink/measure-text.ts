/**
 * Ink's measure-text (ink/build/measure-text.js: the size of a Text node's content for
 * layout) with its cache bounded. Ink's keeps every text it has ever measured, so a
 * dashboard following a journal all day grows by every line it has shown.
 */
import {BoundedMap} from './bounded-map.js';
import widestLine from './widest-line.js';

/** Most texts whose size is kept; a frame measures about 40. */
export const MEASURE_CACHE_SIZE = 512;

/** Width and height of a text, in cells and lines. */
export type TextSize = Readonly<{width: number; height: number}>;

const sizes = new BoundedMap<string, TextSize>(MEASURE_CACHE_SIZE);
const NONE: TextSize = {width: 0, height: 0};

/** The size of `text`: its widest line, and its number of lines (`\n`-separated). */
export default function measureText(text: string): TextSize {
	if (text.length === 0) return NONE;
	return sizes.get(text) ?? sizes.set(text, {width: widestLine(text), height: text.split('\n').length});
}

/** Texts whose size is held now (tests). */
export function measureCacheSize(): number {
	return sizes.size;
}
