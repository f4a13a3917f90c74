/**
 * The frame compositor the bundled l4d2ctl gives Ink in place of ink/build/output.js
 * (deploy/bundle.mjs swaps the module; the class has the same interface and the same
 * output, byte for byte, which test/unit/ui/ink-modules.test.ts checks against Ink's own).
 *
 * Ink draws each frame by writing every Text node's lines into a grid of styled cells
 * and serialising the grid. Its Output starts each frame from nothing: it tokenises
 * every line's ANSI codes again, allocates one object per screen cell and measures
 * every character's width. On an idle dashboard nearly every line is the same as in
 * the last frame, so that work (about 8 ms of CPU and most of the garbage of a
 * 100×30 frame) is repeated for nothing.
 *
 * This compositor keeps what does not change between frames:
 * - the styled cells of recent lines (a bounded cache, {@link LINE_CACHE_SIZE}), with
 *   wide characters already followed by their spacer cells;
 * - one shared style array per distinct set of ANSI codes, so that neighbouring cells
 *   with the same style are told apart by identity, and the escape sequence between
 *   two styles is worked out once;
 * - one shared blank cell for the empty parts of the grid;
 * - the text of each row of the last frame, with the writes it came from: a row written
 *   with the same lines at the same columns is not composed again. On an idle dashboard
 *   only the header's row changes between frames.
 * Cached cells are never modified: a write copies references into the row.
 */
import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize, type AnsiCode, type StyledChar} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import {BoundedMap} from './bounded-map.js';
import {simpleWidth} from './simple-line.js';

/** A clip rectangle, in cells (Ink's render-node-to-output passes it for `overflow: hidden`). */
export type Clip = Readonly<{x1?: number; x2?: number; y1?: number; y2?: number}>;

/** Rewrites one line of a Text node before it is written (Ink's `Transform`). */
export type OutputTransformer = (line: string, index: number) => string;

type Operation =
	| Readonly<{type: 'write'; x: number; y: number; text: string; transformers: readonly OutputTransformer[]}>
	| Readonly<{type: 'clip'; clip: Clip}>
	| Readonly<{type: 'unclip'}>;

/** Most lines whose cells are kept between frames (about 3 KB each at 100 columns). A 100×30 frame writes about 40. */
export const LINE_CACHE_SIZE = 256;
/** Most string widths kept between frames. */
const WIDTH_CACHE_SIZE = 512;
/** Most distinct styles kept; a theme uses a dozen. */
const STYLE_CACHE_SIZE = 256;

const NO_STYLES: readonly AnsiCode[] = Object.freeze([]);
const BLANK: StyledChar = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: NO_STYLES as AnsiCode[]});

const lineCells = new BoundedMap<string, readonly StyledChar[]>(LINE_CACHE_SIZE);
const widths = new BoundedMap<string, number>(WIDTH_CACHE_SIZE);
const styles = new BoundedMap<string, AnsiCode[]>(STYLE_CACHE_SIZE);
/** One line written into a row, from column x (after clipping and transformers). */
type RowWrite = Readonly<{x: number; line: string}>;
/** Row y of the last frame: its width, the writes that made it, in order, and its text. */
type ComposedRow = Readonly<{width: number; writes: readonly RowWrite[]; text: string}>;
/** The rows of the last frame composed, by row index (at most one terminal's height). */
let lastRows: Array<ComposedRow | undefined> = [];
let rowsComposed = 0;

/** from-style → to-style → the escape codes between them. Keys are shared style arrays. */
let transitions = new WeakMap<readonly AnsiCode[], Map<readonly AnsiCode[], string>>();

/** Drops every cache (tests; nothing in the dashboard needs it). */
export function clearOutputCaches(): void {
	lineCells.clear();
	widths.clear();
	styles.clear();
	sequenceCodes.clear();
	transitions = new WeakMap();
	lastRows = [];
	rowsComposed = 0;
}

/** Rows composed from their cells since the caches were cleared (tests: a row kept from the last frame is not counted). */
export function composedRowCount(): number {
	return rowsComposed;
}

/** Cells cached now (tests). */
export function cachedLineCount(): number {
	return lineCells.size;
}

/** Display width of a string in cells (string-width, as Ink measures it), cached. */
function widthOf(text: string): number {
	return widths.get(text) ?? widths.set(text, stringWidth(text));
}

/** The one shared array for this set of codes. */
function sharedStyles(codes: readonly AnsiCode[]): AnsiCode[] {
	if (codes.length === 0) return NO_STYLES as AnsiCode[];
	let key = '';
	for (const code of codes) key += `${code.code}\u0000`;
	return styles.get(key) ?? styles.set(key, [...codes]);
}

/**
 * The cells one line occupies, left to right: each character (styles shared), then for a
 * character wider than one cell, spacer cells with no text, as Ink lays them out.
 */
function cellsOf(line: string): readonly StyledChar[] {
	const cached = lineCells.get(line);
	if (cached) return cached;
	if (simpleWidth(line) >= 0) return lineCells.set(line, simpleCells(line));
	const cells: StyledChar[] = [];
	for (const char of styledCharsFromTokens(tokenize(line))) {
		const shared = sharedStyles(char.styles);
		cells.push({type: 'char', value: char.value, fullWidth: char.fullWidth, styles: shared});
		// Ink counts a zero-width character as one cell.
		const width = Math.max(1, widthOf(char.value));
		for (let i = 1; i < width; i++) cells.push({type: 'char', value: '', fullWidth: false, styles: shared});
	}
	return lineCells.set(line, cells);
}

/** Codes of each SGR sequence seen, as ansi-tokenize splits them. */
const sequenceCodes = new BoundedMap<string, AnsiCode[]>(STYLE_CACHE_SIZE);

/**
 * The cells of a simple line (see simple-line.ts): what tokenize and styledCharsFromTokens give, without
 * splitting the text into grapheme clusters (Intl.Segmenter), which is most of their cost.
 */
function simpleCells(line: string): StyledChar[] {
	const cells: StyledChar[] = [];
	let codes: AnsiCode[] = [];
	let shared = NO_STYLES as AnsiCode[];
	for (let i = 0; i < line.length; ) {
		if (line.charCodeAt(i) === 0x1b) {
			const end = line.indexOf('m', i) + 1;
			const sequence = line.slice(i, end);
			const added = sequenceCodes.get(sequence) ?? sequenceCodes.set(sequence, tokenize(sequence) as AnsiCode[]);
			codes = reduceAnsiCodesIncremental(codes, added);
			shared = sharedStyles(codes);
			i = end;
		} else {
			cells.push({type: 'char', value: line[i]!, fullWidth: false, styles: shared});
			i++;
		}
	}
	return cells;
}

/** The escape codes that turn style `from` into style `to` ('' when they are the same). */
function transition(from: readonly AnsiCode[], to: readonly AnsiCode[]): string {
	if (from === to) return '';
	let byTo = transitions.get(from);
	if (!byTo) {
		byTo = new Map();
		transitions.set(from, byTo);
	}
	let codes = byTo.get(to);
	if (codes === undefined) {
		codes = ansiCodesToString(diffAnsiCodes(from as AnsiCode[], to as AnsiCode[]));
		byTo.set(to, codes);
	}
	return codes;
}

/** One row of cells as text: each style change as the fewest escape codes, reset at the end, trailing spaces dropped. */
function rowText(row: ReadonlyArray<StyledChar | undefined>): string {
	let text = '';
	let previous: readonly AnsiCode[] = NO_STYLES;
	for (const cell of row) {
		if (cell === undefined) continue;
		text += transition(previous, cell.styles) + cell.value;
		previous = cell.styles;
	}
	return (text + transition(previous, NO_STYLES)).trimEnd();
}

/**
 * A frame being composed: Ink's renderer calls {@link write}, {@link clip} and
 * {@link unclip} while it walks the node tree, then {@link get} once.
 */
export default class Output {
	readonly width: number;
	readonly height: number;
	private readonly operations: Operation[] = [];

	/** @param options the frame's size in cells */
	constructor(options: {width: number; height: number}) {
		this.width = options.width;
		this.height = options.height;
	}

	/** Writes text (lines split on `\n`) with its top-left corner at column x, row y. Empty text is ignored. */
	write(x: number, y: number, text: string, options: {transformers: readonly OutputTransformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers: options.transformers});
	}

	/** Clips the writes that follow to a rectangle, until {@link unclip}. */
	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	/** Ends the innermost clip. */
	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	/** The frame: `height` lines joined by `\n`, each without trailing spaces. */
	get(): {output: string; height: number} {
		const rows: RowWrite[][] = [];
		for (let y = 0; y < this.height; y++) rows.push([]);
		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			else if (operation.type === 'unclip') clips.pop();
			else this.apply(rows, operation, clips.at(-1));
		}
		let output = '';
		for (let y = 0; y < rows.length; y++) output += (y === 0 ? '' : '\n') + this.rowAt(y, rows[y]!);
		return {output, height: rows.length};
	}

	/** Row y's text: the last frame's when it was written the same way, else composed from the cells of its writes. */
	private rowAt(y: number, writes: readonly RowWrite[]): string {
		const last = lastRows[y];
		if (last && last.width === this.width && sameWrites(last.writes, writes)) return last.text;
		const row = new Array<StyledChar>(this.width).fill(BLANK);
		// A later write covers an earlier one; cells past the width are kept, as Ink keeps them.
		for (const {x, line} of writes) {
			const cells = cellsOf(line);
			for (let i = 0; i < cells.length; i++) row[x + i] = cells[i]!;
		}
		const text = rowText(row);
		lastRows[y] = {width: this.width, writes, text};
		rowsComposed++;
		return text;
	}

	private apply(rows: RowWrite[][], operation: Extract<Operation, {type: 'write'}>, clip: Clip | undefined): void {
		const {text, transformers} = operation;
		let {x, y} = operation;
		let lines = text.split('\n');
		if (clip) {
			const horizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
			const vertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
			if (horizontally) {
				let widest = 0;
				for (const line of lines) widest = Math.max(widest, widthOf(line));
				if (x + widest < clip.x1! || x > clip.x2!) return;
			}
			if (vertically && (y + lines.length < clip.y1! || y > clip.y2!)) return;
			if (horizontally) {
				lines = lines.map((line) => {
					const from = x < clip.x1! ? clip.x1! - x : 0;
					const width = widthOf(line);
					const to = x + width > clip.x2! ? clip.x2! - x : width;
					return sliceAnsi(line, from, to);
				});
				if (x < clip.x1!) x = clip.x1!;
			}
			if (vertically) {
				const from = y < clip.y1! ? clip.y1! - y : 0;
				const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
				lines = lines.slice(from, to);
				if (y < clip.y1!) y = clip.y1!;
			}
		}
		let offsetY = 0;
		for (let index = 0; index < lines.length; index++) {
			const row = rows[y + offsetY];
			if (!row) continue;
			let line = lines[index]!;
			for (const transformer of transformers) line = transformer(line, index);
			row.push({x, line});
			offsetY++;
		}
	}
}

function sameWrites(a: readonly RowWrite[], b: readonly RowWrite[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]!.x !== b[i]!.x || a[i]!.line !== b[i]!.line) return false;
	return true;
}
