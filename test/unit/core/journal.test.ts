import {describe, expect, it} from 'vitest';
import {decodeField, lineSplitter, parseJournalLine, sanitizeMessage} from '../../../source/core/journal.js';
import {fixture} from '../support/fixtures.js';

const bytes = (text: string) => [...Buffer.from(text, 'utf8')];

describe('parseJournalLine on journalctl --output=json lines', () => {
	const lines = fixture('journal/alpha.ndjson').trimEnd().split('\n');

	it('reads systemd\'s own message about the unit, naming the unit from UNIT', () => {
		expect(parseJournalLine(lines[0]!)).toEqual({
			cursor: 's=3f1c9a0e6b2d4e7f9a1b2c3d4e5f6a7b;i=1a2f;b=0d6e1c2b3a4f5e6d7c8b9a0f1e2d3c4b;m=4c1b2a39;t=627f0c4c1e240;x=91f0a1b2c3d4e5f6',
			timeMs: 1_732_870_000_123,
			priority: 6,
			unit: 'left4me-server@alpha.service',
			message: 'Started left4me-server@alpha.service - Left 4 Dead 2 server alpha.',
			pid: 1,
		});
	});

	it('reads a line the server wrote on stdout', () => {
		expect(parseJournalLine(lines[1]!)).toMatchObject({
			timeMs: 1_732_870_001_250,
			priority: 6,
			unit: 'left4me-server@alpha.service',
			message: 'Auto detecting CPU',
			pid: 48190,
		});
	});

	it('decodes a MESSAGE byte array with ANSI colours and invalid UTF-8', () => {
		expect(parseJournalLine(lines[2]!)).toMatchObject({
			priority: 3,
			pid: 48213,
			message: '\u241b[31mError: map c8m1 \ufffd\ufffd\u241b[0m',
		});
	});
});

describe('parseJournalLine field by field', () => {
	const line = (record: Record<string, unknown>) => JSON.stringify(record);

	it.each([
		{name: 'plain string', record: {MESSAGE: 'Server is hibernating'}, message: 'Server is hibernating'},
		{name: 'byte array, valid UTF-8', record: {MESSAGE: bytes('Zoë joined')}, message: 'Zoë joined'},
		{name: 'byte array, truncated UTF-8 sequence', record: {MESSAGE: [...bytes('caf'), 0xc3]}, message: 'caf\ufffd'},
		{name: 'byte array, lone continuation byte', record: {MESSAGE: [0x41, 0x80, 0x42]}, message: 'A\ufffdB'},
		{name: 'multi-value strings: the first value', record: {MESSAGE: ['first', 'second']}, message: 'first'},
		{name: 'multi-value byte arrays: the first value', record: {MESSAGE: [bytes('one'), bytes('two')]}, message: 'one'},
		{name: 'multi-value with a null first', record: {MESSAGE: [null, 'second']}, message: 'second'},
		{name: 'ANSI escape in a string', record: {MESSAGE: '\u001b[1;32mOK\u001b[0m'}, message: '\u241b[1;32mOK\u241b[0m'},
		{name: 'carriage return and newline', record: {MESSAGE: 'a\r\nb'}, message: 'a\u240d\u240ab'},
		{name: 'NUL, backspace and DEL', record: {MESSAGE: 'x\u0000y\u0008z\u007f'}, message: 'x\u2400y\u2408z\u2421'},
		{name: 'tab becomes four spaces', record: {MESSAGE: 'a\tb'}, message: 'a    b'},
		{name: 'missing MESSAGE', record: {PRIORITY: '6'}, message: ''},
		{name: 'number MESSAGE', record: {MESSAGE: 42}, message: '42'},
		{name: 'object MESSAGE', record: {MESSAGE: {a: 1}}, message: ''},
	])('MESSAGE: $name', ({record, message}) => {
		expect(parseJournalLine(line(record))?.message).toBe(message);
	});

	it('fills defaults for an empty object', () => {
		expect(parseJournalLine('{}')).toEqual({cursor: null, timeMs: null, priority: 6, unit: null, message: '', pid: null});
	});

	it.each([
		['"0"', 0],
		['"7"', 7],
		['"8"', 6],
		['"-1"', 6],
		['"warning"', 6],
		['4', 4],
	])('PRIORITY %s -> %d', (value, expected) => {
		expect(parseJournalLine(`{"PRIORITY":${value}}`)?.priority).toBe(expected);
	});

	it('uses _SYSTEMD_UNIT when there is no UNIT', () => {
		expect(parseJournalLine(line({_SYSTEMD_UNIT: 'left4me-build-maps.service'}))?.unit).toBe('left4me-build-maps.service');
	});

	it('ignores a non-numeric _PID and __REALTIME_TIMESTAMP', () => {
		expect(parseJournalLine(line({_PID: 'abc', __REALTIME_TIMESTAMP: '12x'}))).toMatchObject({pid: null, timeMs: null});
	});

	it.each([
		['empty', ''],
		['blank', '   \t'],
		['truncated object', '{"MESSAGE":"cut'],
		['not JSON', '-- No entries --'],
		['number', '42'],
		['string', '"MESSAGE"'],
		['array', '[{"MESSAGE":"x"}]'],
		['null', 'null'],
		['boolean', 'true'],
	])('returns null for %s input', (_name, input) => {
		expect(parseJournalLine(input)).toBeNull();
	});
});

describe('decodeField', () => {
	it.each([
		['string', 'abc', 'abc'],
		['number', 7, '7'],
		['null', null, null],
		['undefined', undefined, null],
		['boolean', true, null],
		['bytes', [104, 105], 'hi'],
		['array with an object first', [{}, 'x'], 'x'],
		['number outside byte range in an array', [300, 'x'], '300'],
		['array of nothing usable', [null, {}], null],
	])('%s', (_name, value, expected) => {
		expect(decodeField(value)).toBe(expected);
	});
});

describe('sanitizeMessage', () => {
	it('makes every C0 control except tab and DEL visible and leaves other text alone', () => {
		const all = Array.from({length: 32}, (_, i) => String.fromCharCode(i)).join('');
		const out = sanitizeMessage(`${all}\u007fé→`);
		expect(out).not.toMatch(/[\u0000-\u001f\u007f]/);
		expect(out.endsWith('\u2421é→')).toBe(true);
		expect(out.startsWith('\u2400\u2401')).toBe(true);
	});
});

describe('lineSplitter', () => {
	it('keeps a partial line until the rest arrives', () => {
		const split = lineSplitter();
		expect(split('{"MESSAGE":"a"}\n{"MESS')).toEqual(['{"MESSAGE":"a"}']);
		expect(split('AGE":"b"}')).toEqual([]);
		expect(split('\n')).toEqual(['{"MESSAGE":"b"}']);
		expect(split('')).toEqual([]);
	});

	it('passes empty lines through', () => {
		expect(lineSplitter()('a\n\nb\n')).toEqual(['a', '', 'b']);
	});

	it('yields the same entries however the stream is cut', () => {
		const text = fixture('journal/alpha.ndjson');
		const whole = text.split('\n').map(parseJournalLine).filter((e) => e !== null);
		expect(whole).toHaveLength(3);
		for (const size of [1, 2, 7, 64, 333, 4096]) {
			const split = lineSplitter();
			const entries = [];
			for (let i = 0; i < text.length; i += size) {
				for (const l of split(text.slice(i, i + size))) {
					const entry = parseJournalLine(l);
					if (entry) entries.push(entry);
				}
			}
			expect(entries).toEqual(whole);
		}
	});
});
