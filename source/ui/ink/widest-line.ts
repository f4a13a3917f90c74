/**
 * widest-line (https://github.com/sindresorhus/widest-line) with a bounded cache, for
 * Ink's renderer: it measures every Text node on every frame, and string-width costs
 * about 2 ms of a 100×30 dashboard frame when nothing is remembered. A simple line
 * (simple-line.ts) is counted without it. Same results.
 */
import stringWidth from 'string-width';
import {BoundedMap} from './bounded-map.js';
import {simpleWidth} from './simple-line.js';

/** Most texts whose width is kept. */
export const WIDEST_LINE_CACHE_SIZE = 512;

const widths = new BoundedMap<string, number>(WIDEST_LINE_CACHE_SIZE);

/** Width in cells of the widest line of `text` (lines split on `\n`; string-width's measure). */
export default function widestLine(text: string): number {
	const cached = widths.get(text);
	if (cached !== undefined) return cached;
	let width = 0;
	for (const line of text.split('\n')) {
		const simple = simpleWidth(line);
		width = Math.max(width, simple >= 0 ? simple : stringWidth(line));
	}
	return widths.set(text, width);
}

/** Texts whose width is held now (tests). */
export function widestLineCacheSize(): number {
	return widths.size;
}
