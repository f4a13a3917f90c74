import {afterEach, describe, expect, it, vi} from 'vitest';
import {Left4meError} from '../../../source/core/errors.js';
import {parseJournalLine} from '../../../source/core/journal.js';
import {logRecord, parseCount} from '../../../source/cli/commands.js';
import {reportError} from '../../../source/cli/output.js';
import {renderTable} from '../../../source/cli/table.js';

describe('parseCount', () => {
	it.each([
		['0', 100, 0],
		['100', 100, 100],
		['007', 100, 7],
	])('%j (max %d) -> %d', (text, max, expected) => {
		expect(parseCount('--lines', text, max)).toBe(expected);
	});

	it.each(['', '-1', '1.5', '1e3', ' 5', '0x10', '101'])('refuses %j with a usage error', (text) => {
		expect(() => parseCount('--lines', text, 100)).toThrow(new Left4meError('usage', `--lines must be a whole number 0-100 (got "${text}")`));
		try {
			parseCount('--lines', text, 100);
		} catch (error) {
			expect((error as Left4meError).code).toBe('usage');
		}
	});
});

describe('logRecord', () => {
	it('maps a journal entry to a left4me.log/1 record', () => {
		const entry = parseJournalLine('{"__CURSOR":"c1","__REALTIME_TIMESTAMP":"1732870000123456","PRIORITY":"4","_SYSTEMD_UNIT":"left4me-server@a.service","_PID":"7","MESSAGE":"low on slots"}');
		expect(entry).not.toBeNull();
		expect(logRecord(entry!)).toEqual({
			schema: 'left4me.log/1',
			time: '2024-11-29T08:46:40.123Z',
			priority: 4,
			unit: 'left4me-server@a.service',
			pid: 7,
			message: 'low on slots',
			cursor: 'c1',
		});
	});

	it('gives a null time when the entry has none', () => {
		expect(logRecord(parseJournalLine('{"MESSAGE":"x"}')!).time).toBeNull();
	});
});

describe('reportError', () => {
	afterEach(() => vi.restoreAllMocks());

	function captureStderr(action: () => number): {status: number; text: string} {
		let text = '';
		vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
			text += String(chunk);
			return true;
		});
		return {status: action(), text};
	}

	it('writes one line with the hint and returns the exit status', () => {
		expect(captureStderr(() => reportError(new Left4meError('permission', 'missing sudo rule', 'add it'), false))).toEqual({
			status: 4,
			text: 'l4d2ctl: missing sudo rule (hint: add it)\n',
		});
	});

	it('writes one JSON object with --json', () => {
		expect(captureStderr(() => reportError(new Left4meError('not_found', 'no instance named "x"'), true))).toEqual({
			status: 3,
			text: '{"schema":"left4me.error/1","error":{"code":"not_found","message":"no instance named \\"x\\"","hint":null}}\n',
		});
	});

	it('reports an unexpected error as failed, first line only', () => {
		expect(captureStderr(() => reportError(new TypeError('boom\n    at x'), false))).toEqual({status: 1, text: 'l4d2ctl: boom\n'});
	});
});

describe('renderTable', () => {
	it('aligns columns with two spaces and no trailing blanks', () => {
		expect(renderTable(['NAME', 'STATE'], [['alpha', 'active'], ['b', 'failed (exit-code)']])).toBe('NAME   STATE\nalpha  active\nb      failed (exit-code)\n');
	});
});
