import {readFileSync, statSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {formatHistory, parseHistory, pushHistory, recall} from '../../../source/core/console-history.js';
import {makePaths} from '../../../source/core/paths.js';
import {historyPath, loadHistory, saveHistory} from '../../../source/system/console-history-store.js';
import {removeTree, tempDir, writeTree} from '../support/tree.js';

describe('console history', () => {
	it('pushes trimmed commands, skips empty, repeated and secret ones, and keeps the last cap', () => {
		let h: string[] = [];
		for (const c of ['status', ' status ', '', 'echo a', 'rcon_password x', 'sv_password "y"', 'echo b']) h = pushHistory(h, c, 2);
		expect(h).toEqual(['echo a', 'echo b']);
	});

	it('recalls like a shell: up to older, down to newer and past the newest to an empty line', () => {
		const h = ['a', 'b', 'c'];
		const steps: Array<'up' | 'down'> = ['up', 'up', 'up', 'up', 'down', 'down', 'down'];
		let cursor: number | null = null;
		const texts = steps.map((d) => {
			const r = recall(h, cursor, d);
			cursor = r.cursor;
			return r.text;
		});
		expect(texts).toEqual(['c', 'b', 'a', 'a', 'b', 'c', '']);
		expect(recall([], null, 'up')).toEqual({cursor: null, text: ''});
	});

	it('round-trips the file format, dropping blank and secret lines', () => {
		expect(parseHistory(formatHistory(['status', 'echo hi']))).toEqual(['status', 'echo hi']);
		expect(parseHistory('status\r\n\nrcon_password leaked\nmaps *\n')).toEqual(['status', 'maps *']);
		expect(formatHistory([])).toBe('');
	});
});

describe('console history store', () => {
	let state = '';
	afterEach(() => removeTree(state));

	it('keeps each instance\'s history in instances/NAME/console-history, mode 0600', () => {
		state = tempDir('history');
		writeTree(state, {'instances/a/instance.env': '', 'instances/b/instance.env': ''});
		const paths = makePaths(state);
		expect(loadHistory(paths, 'a')).toEqual([]);
		saveHistory(paths, 'a', ['status', 'echo a']);
		saveHistory(paths, 'b', ['maps *']);
		expect(loadHistory(paths, 'a')).toEqual(['status', 'echo a']);
		expect(loadHistory(paths, 'b')).toEqual(['maps *']);
		expect(readFileSync(historyPath(paths, 'a'), 'utf8')).toBe('status\necho a\n');
		expect(statSync(historyPath(paths, 'a')).mode & 0o777).toBe(0o600);
		// An instance directory that is gone: nothing thrown, nothing written.
		saveHistory(paths, 'ghost', ['x']);
		expect(loadHistory(paths, 'ghost')).toEqual([]);
	});
});
