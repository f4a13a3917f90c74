/**
 * Key handling written to stdin of the live App (ink-testing-library), against a
 * recording process runner: filters, sort, marks and bulk actions, reset,
 * journal scrolling, pause and resuming from the last cursor.
 */
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {plainTheme} from '../../source/ui/theme.js';
import {splitKeys} from '../../source/ui/use-dashboard-keys.js';
import {RESUME_DELAY_MS} from '../../source/ui/use-journal.js';
import {FakeRunner, fakeHost, FLEET, HELPER, JOURNAL_HELPER, journalLine, snapshot, tick} from './fixtures.js';

afterEach(cleanup);

const OVERLAY_HELPER = '/usr/local/libexec/left4me/left4me-overlay';
const PGUP = '\u001B[5~';
const PGDN = '\u001B[6~';
const ESC = '\u001B';

let lastFrame = () => '';

async function until(predicate: () => boolean, ms = 2000): Promise<void> {
	const end = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`condition not met in time; frame:\n${lastFrame()}`);
		await tick(5);
	}
}

function mount(runner = new FakeRunner(), rows = 24, doc = snapshot()) {
	const app = render(
		<App host={fakeHost(runner)} collector={{collect: async () => doc}} refreshMs={60_000} readOnly={false} theme={plainTheme} size={{columns: 80, rows}} timeZone="UTC" />,
	);
	const frame = () => app.lastFrame() ?? '';
	lastFrame = frame;
	const press = async (...inputs: string[]) => {
		for (const input of inputs) {
			app.stdin.write(input);
			await tick(input === ESC ? 80 : 15);
		}
	};
	return {app, runner, frame, press};
}

const helperRuns = (runner: FakeRunner) => runner.runs.filter((argv) => argv.includes(HELPER) || argv.includes(OVERLAY_HELPER)).map((argv) => argv.slice(3));
const tableRows = (frame: string) => frame.split('\n').filter((l) => /^[> ][* ] ?[a-z]+ +(active|failed|inactive|activating)/.test(l));

describe('table keys', () => {
	it('/ filters the table as you type; Enter keeps it, Esc clears it', async () => {
		const {frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('/', 'f', 'a', 'i');
		await until(() => frame().includes('filter table: fai▏'));
		expect(tableRows(frame()).map((l) => l.trim().split(/ +/)[1])).toEqual(['bravo']);
		expect(frame()).toMatch(/^> bravo/m);
		await press('\r');
		await until(() => !frame().includes('filter table:'));
		expect(tableRows(frame())).toHaveLength(1);
		await press('j', 'k');
		expect(frame()).toMatch(/^> bravo/m);
		await press(ESC);
		await until(() => tableRows(frame()).length === 4);
	});

	it('a filter matching nothing says so and how to clear it', async () => {
		const {frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('/', 'z', 'z', '\r');
		await until(() => frame().includes('no instance matches "zz" (Esc clears the filter)'));
	});

	it('o sorts by the next column, O reverses; the heading marks it', async () => {
		const {frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('o');
		await until(() => frame().includes('STATE▼'));
		expect(tableRows(frame()).map((l) => l.trim().replace(/^> /, '').split(/ +/)[0])).toEqual(['bravo', 'delta', 'alpha', 'charlie']);
		await press('o');
		await until(() => /CPU%▼|▼C?PU%/.test(frame()));
		expect(tableRows(frame()).map((l) => l.trim().replace(/^> /, '').split(/ +/)[0])).toEqual(['delta', 'alpha', 'bravo', 'charlie']);
		await press('O');
		await until(() => /CPU%▲|▲C?PU%/.test(frame()));
		expect(tableRows(frame()).map((l) => l.trim().replace(/^> /, '').split(/ +/)[0])).toEqual(['charlie', 'bravo', 'alpha', 'delta']);
	});
});

describe('actions', () => {
	it('r restarts an empty server at once, with a progress line while the helper runs', async () => {
		const runner = new FakeRunner();
		let release = () => {};
		runner.gate = new Promise<void>((resolve) => (release = resolve));
		const {frame, press} = mount(runner, 24, snapshot(FLEET.map((i) => (i.name === 'alpha' ? {...i, players: 0} : i))));
		await until(() => frame().includes('> alpha'));
		await press('r');
		await until(() => /restart alpha… \ds/.test(frame()));
		expect(frame()).not.toContain('restart alpha?');
		release();
		await until(() => frame().includes('restarted alpha'));
		expect(helperRuns(runner)).toEqual([['left4me-systemctl', 'restart', 'alpha'].map((a, i) => (i === 0 ? `/usr/local/libexec/left4me/${a}` : a))]);
	});

	it('space marks instances; an action on several asks first, then runs on each and reports failures', async () => {
		const runner = new FakeRunner();
		const {frame, press} = mount(runner);
		await until(() => frame().includes('> alpha'));
		await press(' ', 'j', 'j', ' ');
		await until(() => /^>\*charlie/m.test(frame()));
		expect(frame()).toMatch(/^ \*alpha/m);
		await press('s');
		await until(() => frame().includes('start 2 instances (alpha, charlie)?'));
		expect(helperRuns(runner)).toEqual([]);
		runner.result = {exitCode: 1, stdout: '', stderr: 'left4me-systemctl: unit left4me-server@charlie.service failed to start\n'};
		await press('y');
		await until(() => frame().includes('start: 2 of 2 failed'));
		expect(helperRuns(runner).map((argv) => argv.slice(1))).toEqual([
			['enable', 'alpha'],
			['enable', 'charlie'],
		]);
		expect(frame().replace(/\s+/g, ' ')).toContain('charlie: left4me-systemctl: unit left4me-server@charlie.service failed to start');
		expect(frame()).not.toMatch(/^ \*/m);
	});

	it('W resets after confirmation as l4d2ctl reset does: stop, wipe the upper layer, start (it was running)', async () => {
		const runner = new FakeRunner();
		const {frame, press} = mount(runner);
		await until(() => frame().includes('> alpha'));
		await press('W');
		await until(() => frame().includes('reset alpha?'));
		expect(frame()).toContain("upper layer");
		await press('y');
		await until(() => frame().includes('reset alpha'));
		await until(() => helperRuns(runner).length === 3);
		expect(helperRuns(runner)).toEqual([
			[HELPER, 'stop', 'alpha'],
			[OVERLAY_HELPER, 'wipe', 'alpha'],
			[HELPER, 'start', 'alpha'],
		]);
	});

	it('W on a failed instance wipes it and clears its failed state, so a start limit no longer refuses s; it stays stopped', async () => {
		const runner = new FakeRunner();
		const {frame, press} = mount(runner);
		await until(() => frame().includes('> alpha'));
		await press('j');
		await until(() => frame().includes('> bravo'));
		expect(frame()).toContain('failed (start-limit-hit)');
		await press('W');
		await until(() => frame().includes('reset bravo?'));
		await press('y');
		await until(() => frame().includes('reset bravo'));
		await until(() => helperRuns(runner).length === 2);
		expect(helperRuns(runner)).toEqual([
			[OVERLAY_HELPER, 'wipe', 'bravo'],
			[HELPER, 'reset-failed', 'bravo'],
		]);
	});

	it('a reset stops at the failing step and shows the missing sudo rule', async () => {
		const runner = new FakeRunner();
		const failOverlay = runner.run.bind(runner);
		runner.run = async (argv) => {
			const result = await failOverlay(argv);
			return argv.includes(OVERLAY_HELPER) ? {exitCode: 1, stdout: '', stderr: 'sudo: a password is required\n'} : result;
		};
		const {frame, press} = mount(runner);
		await until(() => frame().includes('> alpha'));
		await press('W', 'y');
		await until(() => frame().includes('missing sudo rule for left4me-overlay'));
		expect(frame().replace(/\s+/g, ' ')).toContain('"%left4me ALL=(root) NOPASSWD: /usr/local/libexec/left4me/left4me-overlay"');
		// Nothing was discarded, and the server it stopped runs again.
		await until(() => helperRuns(runner).length === 3);
		expect(helperRuns(runner).map((argv) => argv[1])).toEqual(['stop', 'wipe', 'start']);
	});
});

describe('journal keys', () => {
	const feed = (runner: FakeRunner, from: number, count: number) =>
		runner.follows.at(-1)!.onChunk(Array.from({length: count}, (_, i) => `${journalLine(`line ${from + i}`, 1_735_732_800 + from + i)}\n`).join(''));

	it('PgUp scrolls back and holds the view while lines arrive; G follows again', async () => {
		const {runner, frame, press} = mount();
		await until(() => runner.follows.length === 1);
		feed(runner, 0, 60);
		await until(() => frame().includes('line 59'));
		await press(PGUP);
		await until(() => frame().includes('scrolled back'));
		const held = frame();
		expect(held).not.toContain('line 59');
		feed(runner, 60, 5);
		await tick(150);
		expect(frame()).not.toContain('line 64');
		expect(frame()).toMatch(/scrolled back, \d+ newer/);
		await press('g');
		await until(() => frame().includes('line 0 ') || /line 0$/m.test(frame()));
		await press(PGDN);
		await press('G');
		await until(() => frame().includes('line 64') && frame().includes('following'));
	});

	it('p pauses: the view stays while lines are still collected, p again follows', async () => {
		const {runner, frame, press} = mount();
		await until(() => runner.follows.length === 1);
		feed(runner, 0, 3);
		await until(() => frame().includes('line 2'));
		await press('p');
		await until(() => frame().includes('PAUSED'));
		feed(runner, 3, 2);
		await until(() => frame().includes('PAUSED, 2 newer'));
		expect(frame()).not.toContain('line 4');
		await press('p');
		await until(() => frame().includes('line 4'));
	});

	it('Tab then / filters the journal and highlights matches', async () => {
		const {runner, frame, press} = mount();
		await until(() => runner.follows.length === 1);
		runner.follows[0]!.onChunk(`${journalLine('Map c1m1 loaded', 1)}\n${journalLine('player joined', 2)}\n`);
		await until(() => frame().includes('player joined'));
		await press('\t', '/', 'm', 'a', 'p', '\r');
		await until(() => frame().includes('filter "map"'));
		expect(frame()).toContain('Map c1m1 loaded');
		expect(frame()).not.toContain('player joined');
		expect(frame()).toMatch(/^▶─ journal: alpha/m);
	});

	it('a follower that ends is started again after the last cursor', async () => {
		const {runner, frame} = mount();
		await until(() => runner.follows.length === 1);
		runner.follows[0]!.onChunk(`${journalLine('before', 1_735_732_800)}\n`);
		await until(() => frame().includes('before'));
		runner.follows[0]!.end(0);
		await until(() => runner.follows.length === 2, RESUME_DELAY_MS + 2000);
		expect(runner.follows[1]!.argv).toEqual(['sudo', '-n', '--', JOURNAL_HELPER, 'alpha', '--after-cursor', 'c1735732800', '--follow']);
		runner.follows[1]!.onChunk(`${journalLine('after', 1_735_732_801)}\n`);
		await until(() => frame().includes('after') && frame().includes('resumed ×1'));
		expect(frame()).toContain('before');
	});
});

describe('typed runs', () => {
	it('splits characters that arrive together into keys: Tab, /, text and Enter in one chunk', async () => {
		const {runner, frame, press} = mount();
		await until(() => runner.follows.length === 1);
		runner.follows[0]!.onChunk(`${journalLine('Map c1m1 loaded', 1)}\n${journalLine('player joined', 2)}\n`);
		await until(() => frame().includes('player joined'));
		await press('\t/map\r');
		await until(() => frame().includes('filter "map"'));
		expect(frame()).not.toContain('player joined');
	});

	it('splitKeys leaves single keys and escape sequences alone', () => {
		expect(splitKeys('j', {})).toEqual([['j', {}]]);
		expect(splitKeys('\t/a\u007f\r', {})).toEqual([
			['', {tab: true}],
			['/', {}],
			['a', {}],
			['', {backspace: true}],
			['', {return: true}],
		]);
		expect(splitKeys('[A', {escape: true})).toEqual([['[A', {escape: true}]]);
	});
});
