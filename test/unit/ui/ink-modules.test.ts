// The modules the bundle gives Ink (deploy/bundle.mjs, INK_REPLACEMENTS) against Ink's own: same input, same result.
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {beforeEach, describe, expect, it} from 'vitest';
import inkWidestLine from 'widest-line';
import measureText, {MEASURE_CACHE_SIZE, measureCacheSize} from '../../../source/ui/ink/measure-text.js';
import Output, {cachedLineCount, clearOutputCaches, composedRowCount, LINE_CACHE_SIZE, type Clip, type OutputTransformer} from '../../../source/ui/ink/output.js';
import {simpleWidth} from '../../../source/ui/ink/simple-line.js';
import widestLine, {WIDEST_LINE_CACHE_SIZE, widestLineCacheSize} from '../../../source/ui/ink/widest-line.js';
import wrapText, {WRAP_CACHE_SIZE, wrapCacheSize, type WrapMode} from '../../../source/ui/ink/wrap-text.js';

type Op = {write: [number, number, string, OutputTransformer[]?]} | {clip: Clip} | 'unclip';
type Compositor = {write(x: number, y: number, text: string, o: {transformers: OutputTransformer[]}): void; clip(c: Clip): void; unclip(): void; get(): {output: string; height: number}};

// Ink's own, from its build directory (its package exports only the entry point).
const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
const inkModule = async <T>(file: string) => ((await import(pathToFileURL(join(inkBuild, file)).href)) as {default: T}).default;
const InkOutput = await inkModule<new (o: {width: number; height: number}) => Compositor>('output.js');
const inkMeasureText = await inkModule<typeof measureText>('measure-text.js');
const inkWrapText = await inkModule<typeof wrapText>('wrap-text.js');

function frame(make: (o: {width: number; height: number}) => Compositor, width: number, height: number, ops: readonly Op[]) {
	const out = make({width, height});
	for (const op of ops) {
		if (op === 'unclip') out.unclip();
		else if ('clip' in op) out.clip(op.clip);
		else out.write(op.write[0], op.write[1], op.write[2], {transformers: op.write[3] ?? []});
	}
	return out.get();
}

const ink = (w: number, h: number, ops: readonly Op[]) => frame((o) => new InkOutput(o), w, h, ops);
const ours = (w: number, h: number, ops: readonly Op[]) => frame((o) => new Output(o), w, h, ops);

const ESC = '\u001B[';
const red = (s: string) => `${ESC}31m${s}${ESC}39m`;
const bold = (s: string) => `${ESC}1m${s}${ESC}22m`;
const dim = (s: string) => `${ESC}2m${s}${ESC}22m`;
const inverse = (s: string) => `${ESC}7m${s}${ESC}27m`;
const onBlue = (s: string) => `${ESC}44m${s}${ESC}49m`;
const rgb = (s: string) => `${ESC}38;2;255;136;0m${s}${ESC}39m`;
const link = (s: string) => `\u001B]8;;https://example.invalid/\u0007${s}\u001B]8;;\u0007`;

beforeEach(() => clearOutputCaches());

describe('the cached compositor', () => {
	const cases: Array<[string, number, number, Op[]]> = [
		['plain lines, trailing spaces dropped', 20, 3, [{write: [0, 0, 'NAME   STATE   ']}, {write: [2, 1, 'srv01 active']}]],
		['a line longer than the frame', 8, 1, [{write: [0, 0, 'a line wider than eight cells']}]],
		['rows below the frame are skipped', 10, 2, [{write: [0, 1, 'one\ntwo\nthree']}]],
		['a row above the frame is skipped without moving the rest', 10, 3, [{write: [0, -1, 'gone\nkept\nnext']}]],
		['empty text writes nothing', 5, 1, [{write: [0, 0, '']}]],
		['colours, nested and reset', 30, 2, [{write: [0, 0, `${red('failed')} ${bold(red('bold red'))} plain`]}, {write: [0, 1, onBlue(`${inverse('>')} sel`)]}]],
		['bold and dim together (both end with 22m)', 20, 1, [{write: [0, 0, bold(`b${dim('bd')}b`) + dim('d')]}]],
		['24-bit colour and an OSC 8 link', 30, 1, [{write: [0, 0, `${rgb('orange')} ${link('docs')}`]}]],
		['a styled line overwritten in its middle by another', 20, 1, [{write: [0, 0, red('abcdefghijklmnop')]}, {write: [4, 0, inverse('XYZ')]}]],
		['wide characters and their spacer cells', 12, 3, [{write: [0, 0, '漢字 and 🎮']}, {write: [1, 1, red('表')]}, {write: [2, 1, 'x']}, {write: [0, 2, '漢字']}, {write: [4, 2, 'Z']}]],
		['a zero-width combining mark takes a cell, as in Ink', 10, 1, [{write: [0, 0, 'e\u0301tat']}]],
		['sparkline and box drawing', 20, 1, [{write: [0, 0, '▁▂▃▄▅▆▇█ │─']}]],
		[
			'horizontal and vertical clips',
			20,
			5,
			[
				{clip: {x1: 2, x2: 8, y1: 1, y2: 3}},
				{write: [0, 0, `${red('0123456789')}\n${bold('abcdefghij')}\nklmnopqrst\nuvwxyz`]},
				{write: [10, 1, 'outside']},
				'unclip',
				{write: [0, 4, 'after the clip']},
			],
		],
		['a clip with only one axis', 10, 3, [{clip: {x1: 3, x2: 6}}, {write: [0, 0, 'abcdefghij\nklmnopqrst']}, 'unclip', {clip: {y1: 1, y2: 2}}, {write: [0, 0, 'one\ntwo\nthree']}, 'unclip']],
		['transformers see each line and its index', 20, 2, [{write: [0, 0, 'ab\ncd', [(line, i) => `${i}:${line.toUpperCase()}`, (line) => red(line)]]}]],
	];

	it.each(cases)('%s', (_name, width, height, ops) => {
		const expected = ink(width, height, ops);
		expect(ours(width, height, ops)).toEqual(expected);
		// The second frame comes from the cache and must be the same.
		expect(ours(width, height, ops)).toEqual(expected);
	});

	it('matches Ink on 400 random frames of overlapping styled writes', () => {
		let seed = 12345;
		const random = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed % n;
		};
		const words = ['srv01', 'active/running', 'failed (start limit)', '漢字', '🎮', ' ', '12.5', '▁▃▅', 'é', '│'];
		const styles = [(s: string) => s, red, bold, dim, inverse, onBlue, rgb, link, (s: string) => red(bold(s)), (s: string) => inverse(red(s))];
		for (let f = 0; f < 400; f++) {
			const width = 5 + random(40);
			const height = 1 + random(6);
			const ops: Op[] = [];
			for (let w = random(8); w >= 0; w--) {
				if (random(10) === 0) ops.push({clip: {x1: random(width), x2: random(width + 5), y1: random(height), y2: random(height + 2)}});
				const lines = Array.from({length: 1 + random(3)}, () => Array.from({length: 1 + random(4)}, () => styles[random(styles.length)]!(words[random(words.length)]!)).join(''));
				ops.push({write: [random(width + 2) - 1, random(height + 1) - 1, lines.join('\n')]});
				if (random(4) === 0) ops.push('unclip');
			}
			expect(ours(width, height, ops), JSON.stringify(ops)).toEqual(ink(width, height, ops));
		}
	});

	it('lines of one-cell characters and SGR codes (taken without grapheme segmentation) match Ink', () => {
		const ranges: Array<[number, number]> = [[0x20, 0x7e], [0xb7, 0xb7], [0x2026, 0x2026], [0x2190, 0x21ff], [0x2500, 0x259f]];
		const chars = ranges.flatMap(([from, to]) => Array.from({length: to - from + 1}, (_, i) => String.fromCodePoint(from + i)));
		const codes = ['\u001B[m', `${ESC}0m`, `${ESC}1;31m`, `${ESC}38;5;208m`, `${ESC}38;2;1;2;3;48;5;4m`, `${ESC}22m`, `${ESC}39;49m`, `${ESC}7m`];
		for (let at = 0; at < chars.length; at += 24) {
			const line = chars
				.slice(at, at + 24)
				.map((c, i) => (i % 5 === 0 ? codes[(at + i) % codes.length]! : '') + c)
				.join('');
			const ops: Op[] = [{write: [1, 0, line]}, {write: [0, 1, bold(red(line))]}];
			expect(ours(30, 2, ops), JSON.stringify(line)).toEqual(ink(30, 2, ops));
		}
		// Such a line next to a combining mark or a wide character goes the general way.
		for (const line of [`ab${red('e')}\u0301`, `▁▂${inverse('漢')}`, `${ESC}31mx${ESC}5` + 'y']) expect(ours(10, 1, [{write: [0, 0, line]}])).toEqual(ink(10, 1, [{write: [0, 0, line]}]));
	});

	it('simple lines are measured as string-width measures them', () => {
		const ranges: Array<[number, number]> = [[0x20, 0x7e], [0xb7, 0xb7], [0x2026, 0x2026], [0x2190, 0x21ff], [0x2500, 0x259f]];
		const chars = ranges.flatMap(([from, to]) => Array.from({length: to - from + 1}, (_, i) => String.fromCodePoint(from + i)));
		for (const char of chars) expect(simpleWidth(char), JSON.stringify(char)).toBe(inkWidestLine(char));
		const line = chars.join('');
		expect([simpleWidth(line), widestLine(line), measureText(`${red(line)}\n${bold('x')}`)]).toEqual([inkWidestLine(line), inkWidestLine(line), inkMeasureText(`${red(line)}\n${bold('x')}`)]);
		expect([simpleWidth(''), simpleWidth(`${ESC}m`), simpleWidth(`${ESC}1;38;2;1;2;3m▁▂${ESC}22m`)]).toEqual([0, 0, 2]);
		// Not simple: the general measure, which gives what widest-line gives.
		for (const other of ['漢字', 'e\u0301', '\t', `${ESC}31`, `${ESC}31;x`, '\u001B]8;;https://example.invalid/\u0007a\u001B]8;;\u0007', '🎮', '\u00e9']) {
			expect(simpleWidth(other), JSON.stringify(other)).toBe(-1);
			expect(widestLine(`${other}\nab`), JSON.stringify(other)).toBe(inkWidestLine(`${other}\nab`));
		}
	});

	it('composes again only the rows whose writes changed since the last frame', () => {
		const table = (cpu: string, selected: number): Op[] => [
			{write: [0, 0, `${bold('left4me')}  host ${cpu}% of 2 cores`]},
			...[0, 1, 2].map((i): Op => ({write: [0, 1 + i, i === selected ? inverse(`> srv0${i} active/running`) : `  srv0${i} active/running`]})),
			{clip: {x1: 0, x2: 12, y1: 4, y2: 5}},
			{write: [0, 4, red('a journal line clipped at twelve cells')]},
			'unclip',
		];
		const frames: Array<[Op[], number, number]> = [
			// ops, width, rows composed for this frame
			[table('2.2', 0), 30, 6],
			[table('2.2', 0), 30, 0],
			[table('3.1', 0), 30, 1],
			[table('3.1', 1), 30, 2],
			// Another width: every row again, even those written the same way.
			[table('3.1', 1), 31, 6],
		];
		for (const [ops, width, composed] of frames) {
			const before = composedRowCount();
			expect(ours(width, 6, ops)).toEqual(ink(width, 6, ops));
			expect(composedRowCount() - before).toBe(composed);
		}
	});

	it('a row written in two parts is kept only while both parts stay the same', () => {
		const two = (right: string): Op[] => [{write: [0, 0, red('left part')]}, {write: [10, 0, right]}];
		for (const ops of [two('right'), two('right'), two(bold('right')), two('right')]) expect(ours(20, 1, ops)).toEqual(ink(20, 1, ops));
	});

	it('keeps at most LINE_CACHE_SIZE lines between frames', () => {
		for (let i = 0; i < LINE_CACHE_SIZE + 100; i++) ours(20, 1, [{write: [0, 0, `journal line ${i}`]}]);
		expect(cachedLineCount()).toBe(LINE_CACHE_SIZE);
		// The newest line is still there and still right.
		expect(ours(20, 1, [{write: [0, 0, `journal line ${LINE_CACHE_SIZE + 99}`]}]).output).toBe(`journal line ${LINE_CACHE_SIZE + 99}`);
	});
});

describe('the bounded text caches', () => {
	const texts = ['', 'srv01', 'two\nlines here', red('styled'), '漢字 and 🎮', 'e\u0301tat', `${bold('a')} ${link('b')}`, 'a long line '.repeat(12), '  spaces kept  ', 'tab\there'];
	const modes: WrapMode[] = ['wrap', 'truncate', 'truncate-end', 'truncate-middle', 'truncate-start', 'end'];

	it('widest-line, measure-text and wrap-text give what Ink\'s give', () => {
		for (const text of texts) {
			expect(widestLine(text), text).toBe(inkWidestLine(text));
			expect(measureText(text), text).toEqual(inkMeasureText(text));
			for (const mode of modes) for (const width of [1, 3, 8, 40]) expect(wrapText(text, width, mode), `${mode} ${width} ${text}`).toBe(inkWrapText(text, width, mode));
		}
		// Asked again, from the caches.
		for (const text of texts) expect([widestLine(text), measureText(text)]).toEqual([inkWidestLine(text), inkMeasureText(text)]);
	});

	it('hold a fixed number of texts however many distinct lines pass through', () => {
		for (let i = 0; i < 5000; i++) {
			const line = `Nov 29 12:00:00 srv01 console line ${i}`;
			widestLine(line);
			measureText(line);
			wrapText(line, 80, 'truncate-end');
		}
		expect([widestLineCacheSize(), measureCacheSize(), wrapCacheSize()]).toEqual([WIDEST_LINE_CACHE_SIZE, MEASURE_CACHE_SIZE, WRAP_CACHE_SIZE]);
		expect(wrapText('x'.repeat(100), 10, 'truncate-end')).toBe(`${'x'.repeat(9)}…`);
	});
});
