import {describe, expect, it} from 'vitest';
import {Left4meError} from '../../../source/core/errors.js';
import {dashboardArgs, parseRefresh} from '../../../source/cli/dashboard-args.js';

describe('dashboardArgs: what opens the dashboard without commander', () => {
	it.each([
		[[], {readOnly: false}],
		[['--read-only'], {readOnly: true}],
		[['--refresh', '500'], {readOnly: false, refresh: '500'}],
		[['--refresh=250', '--read-only'], {readOnly: true, refresh: '250'}],
		[['--read-only', '--refresh', 'soon'], {readOnly: true, refresh: 'soon'}],
	])('%j -> %j', (argv, expected) => {
		expect(dashboardArgs(argv)).toEqual(expected);
	});

	it.each([[['list']], [['--help']], [['-V']], [['--refresh']], [['--read-only', '--read-only']], [['--refresh', '1', '--refresh', '2']], [['--json']], [['--readonly']]])(
		'%j goes to commander',
		(argv) => {
			expect(dashboardArgs(argv)).toBeNull();
		},
	);
});

describe('parseRefresh', () => {
	it('gives ms, 1000 for 0, and undefined when not given', () => {
		expect(parseRefresh('250')).toBe(250);
		expect(parseRefresh('0')).toBe(1000);
		expect(parseRefresh(undefined)).toBeUndefined();
	});

	it.each(['soon', '-5', '1.5', '3600001'])('rejects %j as a usage error', (text) => {
		expect(() => parseRefresh(text)).toThrow(Left4meError);
		expect(() => parseRefresh(text)).toThrow(/--refresh must be a whole number 0-3600000/);
	});
});
