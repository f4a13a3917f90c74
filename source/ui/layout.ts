/**
 * Pure text layout for the dashboard: fitting cells, wrapping and packing
 * lines, and choosing table columns for the screen width. Widths count code
 * points; the dashboard's own text is narrow (journal messages are clipped by
 * Ink, which measures them properly).
 */

/**
 * Number of columns a string takes (code points: a surrogate pair counts once, as
 * `[...text].length` does). Counted in place: the table measures every cell of every
 * row on each frame.
 */
export function textWidth(text: string): number {
	let count = 0;
	for (let i = 0; i < text.length; i++, count++) {
		const unit = text.charCodeAt(i);
		if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
	}
	return count;
}

/** Pads or cuts `text` to exactly `width` columns; a cut ends with `…`. */
export function fitText(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const length = textWidth(text);
	if (length > width) return width === 1 ? '…' : `${[...text].slice(0, width - 1).join('')}…`;
	if (length === width) return text;
	const pad = ' '.repeat(width - length);
	return align === 'left' ? text + pad : pad + text;
}

/** Word-wraps text into lines of at most `width` columns; words longer than a line are split. */
export function wrapText(text: string, width: number): string[] {
	if (width <= 0) return [];
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter((w) => w !== '')) {
		let rest = word;
		while (textWidth(rest) > width) {
			if (line !== '') lines.push(line);
			line = '';
			const chars = [...rest];
			lines.push(chars.slice(0, width).join(''));
			rest = chars.slice(width).join('');
		}
		if (rest === '') continue;
		if (line === '') line = rest;
		else if (textWidth(line) + 1 + textWidth(rest) <= width) line += ` ${rest}`;
		else {
			lines.push(line);
			line = rest;
		}
	}
	if (line !== '') lines.push(line);
	return lines.length > 0 ? lines : [''];
}

/**
 * Packs segments into lines of at most `width` columns, keeping each segment whole
 * where it fits, separated by `separator`.
 * @returns lines, each a list of the segment indexes on it
 */
export function packSegments(segments: readonly string[], width: number, separator = '  '): number[][] {
	const lines: number[][] = [];
	let current: number[] = [];
	let used = 0;
	segments.forEach((segment, index) => {
		const w = textWidth(segment);
		if (current.length > 0 && used + textWidth(separator) + w > width) {
			lines.push(current);
			current = [];
			used = 0;
		}
		used += (current.length > 0 ? textWidth(separator) : 0) + w;
		current.push(index);
	});
	if (current.length > 0) lines.push(current);
	return lines;
}

/** A table column before fitting. */
export type ColumnSpec = Readonly<{
	id: string;
	header: string;
	align: 'left' | 'right';
	/** Narrowest the column may become before it is cut with `…`. */
	min: number;
	/** Width the column gives up first, before any column is dropped; defaults to its natural width. */
	soft?: number;
	/** Widest it may be. */
	max: number;
	/** 0 = never dropped; otherwise the highest number is dropped first when space runs out. */
	drop: number;
	/**
	 * This column, and every column ranked below it (higher `drop`), is dropped whole, highest
	 * `drop` first, before any column gives up width to its `soft` width.
	 */
	yields?: boolean;
}>;

/** A fitted column. */
export type FittedColumn = Readonly<{spec: ColumnSpec; width: number}>;

/**
 * Chooses columns and widths for `width` screen columns: natural width (widest cell,
 * within min/max); if that overflows, the `yields` columns and those ranked below them
 * are dropped (highest `drop` first) until it fits; if it still overflows, columns give up width down to `soft`; then
 * columns are kept in order of importance (`drop` ascending) while they fit, and
 * columns that are never dropped shrink to `min` as a last resort. Columns are
 * separated by `gap` spaces and come back in spec order.
 * @param cells cell texts per column id
 */
export function fitColumns(specs: readonly ColumnSpec[], cells: ReadonlyMap<string, readonly string[]>, width: number, gap = 1): FittedColumn[] {
	const natural = (s: ColumnSpec) => Math.max(s.min, Math.min(s.max, Math.max(textWidth(s.header), ...(cells.get(s.id) ?? []).map(textWidth))));
	const total = (cs: ReadonlyArray<{width: number}>) => cs.reduce((sum, c) => sum + c.width, 0) + gap * Math.max(0, cs.length - 1);
	let columns = specs.map((spec) => ({spec, width: natural(spec)}));
	// Columns ranked at or below the most important `yields` column go whole, least important first,
	// before any column gives up width to its soft width.
	const threshold = Math.min(...columns.filter((c) => c.spec.yields === true).map((c) => c.spec.drop));
	const before = columns.filter((c) => c.spec.drop > 0 && c.spec.drop >= threshold).sort((a, b) => b.spec.drop - a.spec.drop);
	for (const c of before) {
		if (total(columns) <= width) break;
		columns = columns.filter((other) => other !== c);
	}
	const shrink = (cs: Array<{spec: ColumnSpec; width: number}>, floor: (s: ColumnSpec) => number) => {
		for (const c of cs) {
			const over = total(cs) - width;
			if (over <= 0) return;
			c.width -= Math.min(over, Math.max(0, c.width - Math.min(c.width, floor(c.spec))));
		}
	};
	shrink(columns, (s) => s.soft ?? Number.POSITIVE_INFINITY);
	const kept = new Set<ColumnSpec>();
	let used = 0;
	for (const c of [...columns].sort((a, b) => a.spec.drop - b.spec.drop)) {
		const need = c.width + (kept.size > 0 ? gap : 0);
		if (c.spec.drop === 0 || used + need <= width) {
			kept.add(c.spec);
			used += need;
		}
	}
	const result = columns.filter((c) => kept.has(c.spec));
	shrink(result, (s) => s.min);
	return result;
}

/**
 * The first row to show so that `selected` stays visible in a window of `height` rows.
 */
export function windowStart(count: number, selected: number, height: number): number {
	if (height <= 0 || count <= height) return 0;
	const start = Math.max(0, selected - height + 1);
	return Math.min(start, count - height);
}
