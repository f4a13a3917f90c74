import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {ListDocument} from '../../source/core/snapshot.js';
import type {UnitStatus} from '../../source/core/unit-status.js';
import {SnapshotCollector, type Host} from '../../source/system/host.js';
import {App} from '../../source/ui/app.js';
import {plainTheme} from '../../source/ui/theme.js';
import {FakeRunner, FLEET, fakeHost, HELPER, JOURNAL_HELPER, journalLine, MIB, snapshot, tick} from './fixtures.js';

afterEach(cleanup);

/** A collector returning `doc`, recording each `force` argument. */
class FakeCollector {
	readonly calls: boolean[] = [];
	/** Each focus the App gave, as a list of names. */
	readonly focused: string[][] = [];
	constructor(public doc: ListDocument = snapshot()) {}
	async collect(force = false): Promise<ListDocument> {
		this.calls.push(force);
		return this.doc;
	}
	focus(names: Iterable<string> | null): void {
		this.focused.push(names === null ? ['(null)'] : [...names]);
	}
}

/** Polls until `predicate` holds (or fails after `ms`). */
async function until(predicate: () => boolean, ms = 1000): Promise<void> {
	const end = Date.now() + ms;
	while (!predicate()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await tick(5);
	}
}

function mount(options: {readOnly?: boolean; runner?: FakeRunner; collector?: FakeCollector; refreshMs?: number; host?: Host} = {}) {
	const runner = options.runner ?? new FakeRunner();
	const collector = options.collector ?? new FakeCollector();
	const host = options.host ?? fakeHost(runner);
	const app = render(
		<App host={host} collector={options.host ? undefined : collector} refreshMs={options.refreshMs ?? 60_000} readOnly={options.readOnly ?? false} theme={plainTheme} size={{columns: 80, rows: 24}} timeZone="UTC" />,
	);
	const frame = () => app.lastFrame() ?? '';
	const press = async (input: string, wait = 20) => {
		app.stdin.write(input);
		await tick(wait);
	};
	return {app, runner, collector, frame, press};
}

const systemctlRuns = (runner: FakeRunner) => runner.runs.filter((argv) => argv.includes(HELPER));

describe('focus: the rows on screen', () => {
	it('names the rows the table shows, follows the window as the selection moves, and names none while help hides the table', async () => {
		const many = Array.from({length: 40}, (_, i) => ({...FLEET[0]!, name: `srv${String(i).padStart(2, '0')}`, unit: `left4me-server@srv${String(i).padStart(2, '0')}.service`}));
		const {collector, frame, press} = mount({collector: new FakeCollector(snapshot(many))});
		await until(() => frame().includes('> srv00'));
		const shown = frame().split('\n').flatMap((line) => /^[> ][ *](srv\d\d) /.exec(line)?.[1] ?? []);
		expect(shown.length).toBeGreaterThan(5);
		// The focus is given in an effect, after the frame.
		await until(() => collector.focused.at(-1)?.length === shown.length);
		expect(collector.focused.at(-1)).toEqual(shown);
		for (let i = 0; i < shown.length; i++) await press('j', 5);
		await until(() => frame().includes(`> srv${String(shown.length).padStart(2, '0')}`) && collector.focused.at(-1)?.[0] === 'srv01');
		expect(collector.focused.at(-1)).toEqual(many.slice(1, shown.length + 1).map((v) => v.name));
		await press('?');
		await until(() => collector.focused.at(-1)?.length === 0);
		expect(frame()).not.toContain('srv01');
	});
});

describe('dashboard keys', () => {
	it('s starts the selected instance through the helper and refreshes with force', async () => {
		const {runner, collector, frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('s');
		await until(() => frame().includes('started alpha'));
		expect(systemctlRuns(runner)).toEqual([['sudo', '-n', '--', HELPER, 'enable', 'alpha']]);
		expect(collector.calls).toEqual([true, true]);
	});

	it('x asks first; y then disables the selected instance', async () => {
		const {runner, frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('j');
		await until(() => /^> bravo/m.test(frame()));
		await press('x');
		await until(() => frame().includes('stop bravo?'));
		expect(systemctlRuns(runner)).toEqual([]);
		await press('y');
		await until(() => frame().includes('stopped bravo'));
		expect(systemctlRuns(runner)).toEqual([['sudo', '-n', '--', HELPER, 'disable', 'bravo']]);
		expect(frame()).not.toContain('stop bravo?');
	});

	it('n cancels a stop without calling the helper', async () => {
		const {runner, frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('x');
		await press('n');
		await until(() => frame().includes('stop alpha cancelled'));
		expect(frame()).not.toContain('stop alpha?');
		expect(systemctlRuns(runner)).toEqual([]);
	});

	it('a lone Escape cancels a reset', async () => {
		const {runner, frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('W');
		await until(() => frame().includes('reset alpha?'));
		await press('\u001B', 80);
		await until(() => frame().includes('reset alpha cancelled'));
		expect(systemctlRuns(runner)).toEqual([]);
	});

	it('read-only mode refuses actions and says so', async () => {
		const {runner, frame, press} = mount({readOnly: true});
		await until(() => frame().includes('> alpha'));
		await press('s');
		await press('x');
		await until(() => frame().includes('read-only mode: stop is disabled'));
		expect(frame()).not.toContain('stop alpha?');
		expect(systemctlRuns(runner)).toEqual([]);
	});

	it('shows the exact helper error and the missing sudo rule', async () => {
		const runner = new FakeRunner();
		runner.result = {exitCode: 1, stdout: '', stderr: 'sudo: a password is required\n'};
		const {frame, press} = mount({runner});
		await until(() => frame().includes('> alpha'));
		await press('s');
		await until(() => frame().includes('missing sudo rule'));
		expect(frame()).toContain('missing sudo rule for left4me-systemctl: sudo: a password is required');
		expect(frame()).toContain('"%left4me ALL=(root) NOPASSWD: /usr/local/libexec/left4me/left4me-systemctl"');
	});

	it('? opens the help overlay and Esc closes it', async () => {
		const {frame, press} = mount();
		await until(() => frame().includes('> alpha'));
		await press('?');
		await until(() => frame().includes('select the previous instance'));
		await press('\u001B', 80);
		await until(() => !frame().includes('select the previous instance'));
		expect(frame()).toContain('> alpha');
	});
});

describe('journal follower', () => {
	it('follows the selected instance, one follower at a time', async () => {
		const {runner, frame, press} = mount();
		await until(() => runner.follows.length === 1);
		const first = runner.follows[0]!;
		expect(first.argv).toEqual(['sudo', '-n', '--', JOURNAL_HELPER, 'alpha', '--lines', '200', '--follow']);
		const line = journalLine('Server started on port 27015', 1_735_732_800);
		first.onChunk(line.slice(0, 25));
		first.onChunk(`${line.slice(25)}\n{not json\n`);
		await until(() => frame().includes('12:00:00 Server started on port 27015'));
		await press('j');
		await until(() => runner.follows.length === 2);
		expect(first.stopped).toBe(true);
		expect(runner.follows[1]!.argv).toContain('bravo');
		expect(frame()).not.toContain('Server started');
		first.onChunk(`${journalLine('late line from alpha', 1_735_732_801)}\n`);
		await tick();
		expect(frame()).not.toContain('late line from alpha');
	});

	it('l hides the pane and stops following; unmount stops it too', async () => {
		const {app, runner, press} = mount();
		await until(() => runner.follows.length === 1);
		await press('l');
		await until(() => runner.follows[0]!.stopped);
		await until(() => !(app.lastFrame() ?? '').includes('journal:'));
		await press('l');
		await until(() => runner.follows.length === 2);
		app.unmount();
		expect(runner.follows[1]!.stopped).toBe(true);
	});

	it('shows the helper error when the journal cannot be read', async () => {
		const {runner, frame} = mount();
		await until(() => runner.follows.length === 1);
		runner.follows[0]!.end(3, 'left4me-journalctl: no such instance: alpha\n');
		await until(() => frame().includes('left4me-journalctl: no such instance: alpha'));
		expect(frame()).not.toContain('waiting for journal lines');
	});

	it('q quits and stops the follower', async () => {
		const {runner, press} = mount();
		await until(() => runner.follows.length === 1);
		await press('q');
		await until(() => runner.follows[0]!.stopped);
		expect(runner.follows).toHaveLength(1);
	});
});

describe('snapshot polling', () => {
	it('polls every refreshMs without forcing unit reads', async () => {
		const {collector} = mount({refreshMs: 15});
		await until(() => collector.calls.length >= 4);
		expect(collector.calls[0]).toBe(true);
		expect(collector.calls.slice(1, 4)).toEqual([false, false, false]);
	});

	it('never runs two collections at once; a refresh asked meanwhile runs after', async () => {
		let release = () => {};
		let inFlight = 0;
		let most = 0;
		const calls: boolean[] = [];
		const collector = {
			collect: async (force = false) => {
				calls.push(force);
				most = Math.max(most, ++inFlight);
				if (calls.length === 2) await new Promise<void>((resolve) => (release = resolve));
				inFlight--;
				return snapshot();
			},
		};
		const runner = new FakeRunner();
		const app = render(<App host={fakeHost(runner)} collector={collector} refreshMs={10} readOnly={false} theme={plainTheme} size={{columns: 80, rows: 24}} />);
		await until(() => calls.length === 2);
		app.stdin.write('s');
		await until(() => (app.lastFrame() ?? '').includes('started alpha'));
		await tick(30);
		expect(calls).toEqual([true, false]);
		release();
		await until(() => calls.length >= 3);
		expect(calls[2]).toBe(true);
		expect(most).toBe(1);
	});

	it('renders from a real SnapshotCollector on a fake host with a pinned clock', async () => {
		const runner = new FakeRunner();
		const base = fakeHost(runner);
		const status: UnitStatus = {
			unit: 'left4me-server@alpha.service',
			loadState: 'loaded',
			activeState: 'active',
			subState: 'running',
			result: 'success',
			unitFileState: 'enabled',
			restarts: 2,
			mainPid: 4242,
			execMainStatus: 0,
			activeEnterMs: 1_000_000,
			controlGroup: '/l4d2.slice/l4d2-game.slice/left4me-server@alpha.service',
		};
		let shows = 0;
		const host: Host = {
			...base,
			instances: {...base.instances, names: () => ['alpha'], readAll: () => new Map([['alpha', {port: 27020, lowerdirs: ['installation'], args: ''}]])},
			units: {show: async () => (shows++, new Map([[status.unit, status]]))},
			metrics: {sample: (groups) => new Map([...groups.keys()].map((k) => [k, {exists: true, inode: 7, usageUsec: null, memoryBytes: 64 * MIB, memoryApprox: true, atMs: 0}]))},
		};
		const collector = new SnapshotCollector(host, () => 1_000_000 + 65_000);
		const app = render(<App host={host} collector={collector} refreshMs={60_000} readOnly={false} theme={plainTheme} size={{columns: 80, rows: 24}} />);
		await until(() => (app.lastFrame() ?? '').includes('> alpha'));
		expect(app.lastFrame()).toMatch(/^> alpha +active\/running +unknown +unknown +yes +27020 +1m +2 +- +~64\.0 MiB$/m);
		expect(shows).toBe(1);
	});
});
