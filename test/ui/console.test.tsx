// The RCON console pane: typing, Enter sends over a (fake) RCON session, ↑/↓ recall
// history loaded from and saved to (fake) disk, errors as one line, Esc closes.
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {Left4meError} from '../../source/core/errors.js';
import {App} from '../../source/ui/app.js';
import {consoleKey, openConsole} from '../../source/ui/console-state.js';
import {plainTheme} from '../../source/ui/theme.js';
import type {ConsoleDeps} from '../../source/ui/use-console.js';
import {FakeRunner, fakeHost, snapshot} from './fixtures.js';

afterEach(cleanup);

const UP = '\u001B[A';
const ESC = '\u001B';

function fakeDeps(options: {history?: string[]; fail?: Left4meError} = {}) {
	const sent: string[] = [];
	const saved: string[][] = [];
	let connects = 0;
	let closed = 0;
	const deps: ConsoleDeps = {
		connect: async () => {
			connects++;
			if (options.fail) throw options.fail;
			return {
				command: async (text: string) => {
					sent.push(text);
					return text === 'status' ? 'hostname: alpha\nmap     : c1m1_hotel\nplayers : 3 humans\n' : `echo: ${text}\n`;
				},
				close: () => void closed++,
			};
		},
		load: () => [...(options.history ?? [])],
		save: (_, history) => saved.push([...history]),
	};
	return {deps, sent, saved, counts: () => ({connects, closed})};
}

async function until(predicate: () => boolean, ms = 3000) {
	const end = Date.now() + ms;
	while (Date.now() < end && !predicate()) await new Promise((r) => setTimeout(r, 15));
	expect(predicate()).toBe(true);
}

function mount(deps: ConsoleDeps, readOnly = false) {
	const doc = snapshot();
	const app = render(<App host={fakeHost(new FakeRunner())} collector={{collect: async () => doc}} consoleDeps={deps} refreshMs={60_000} readOnly={readOnly} theme={plainTheme} size={{columns: 80, rows: 24}} timeZone="UTC" />);
	const type = async (text: string) => {
		app.stdin.write(text);
		await new Promise((r) => setTimeout(r, 30));
	};
	return {app, type, frame: () => app.lastFrame() ?? ''};
}

describe('RCON console pane', () => {
	it('sends typed commands, shows replies, recalls history with ↑ and saves it', async () => {
		const f = fakeDeps({history: ['echo old']});
		const {type, frame} = mount(f.deps);
		await until(() => frame().includes('alpha'));
		await type('c');
		await until(() => frame().includes('── console: alpha (RCON)'));
		await type('status');
		expect(frame()).toContain('alpha> status█');
		await type('\r');
		await until(() => frame().includes('players : 3 humans'));
		expect(frame()).toMatch(/^alpha> status\nhostname: alpha\nmap {5}: c1m1_hotel\nplayers : 3 humans$/m);
		expect(f.sent).toEqual(['status']);
		expect(f.saved.at(-1)).toEqual(['echo old', 'status']);
		await type(UP);
		expect(frame()).toContain('alpha> status█');
		await type(UP);
		expect(frame()).toContain('alpha> echo old█');
		await type('\r');
		await until(() => frame().includes('echo: echo old'));
		expect(f.counts().connects).toBe(1);
		await type(ESC);
		await until(() => !frame().includes('console: alpha'));
		await until(() => f.counts().closed === 1);
	});

	it('shows a connection or password error as one line and keeps the console open', async () => {
		const f = fakeDeps({fail: new Left4meError('permission', 'RCON on 127.0.0.1:27015 refused the password', 'check rcon_password')});
		const {type, frame} = mount(f.deps);
		await until(() => frame().includes('alpha'));
		await type('c');
		await type('status');
		await type('\r');
		await until(() => frame().includes('! RCON on 127.0.0.1:27015 refused the password (hint: check rcon_password)'));
		expect(frame()).toContain('── console: alpha (RCON)');
	});

	it('is refused in read-only mode', async () => {
		const f = fakeDeps();
		const {type, frame} = mount(f.deps, true);
		await until(() => frame().includes('alpha'));
		await type('c');
		expect(frame()).toContain('read-only mode: console is disabled');
		expect(frame()).not.toContain('console: alpha');
	});
});

describe('consoleKey', () => {
	it('types, deletes, ignores control keys, and does not send an empty line', () => {
		let c = openConsole('a');
		for (const ch of 'sv_cheats') c = consoleKey(c, ch, {}) as typeof c;
		c = consoleKey(c, '', {backspace: true}) as typeof c;
		expect(c.input).toBe('sv_cheat');
		expect(consoleKey(c, '\t', {tab: true})).toBe(c);
		const empty = openConsole('a');
		expect(consoleKey(empty, '\r', {return: true})).toBe(empty);
		expect(consoleKey(c, '', {escape: true})).toBe('close');
		expect(consoleKey(c, 'c', {ctrl: true})).toBe('quit');
	});

	it('does not put an rcon_password command in history', () => {
		const c = consoleKey({...openConsole('a'), input: 'rcon_password hunter2'}, '\r', {return: true});
		expect(c).toMatchObject({history: [], pending: {command: 'rcon_password hunter2'}});
	});
});
