import {describe, expect, it} from 'vitest';
import {initialState, keyToAction, reduce, rowsOf, sameSnapshot, type Action, type DashboardState} from '../../source/ui/dashboard-state.js';
import {KEYMAP, keymapFor} from '../../source/ui/keymap.js';
import {SPARK_LENGTH} from '../../source/ui/table-view.js';
import {FLEET, instance, snapshot} from './fixtures.js';

const loaded = (readOnly = false) => reduce(initialState(readOnly), {type: 'snapshot', doc: snapshot()});
const run = (state: DashboardState, ...actions: Action[]) => actions.reduce(reduce, state);

describe('keyToAction', () => {
	const state = loaded();
	it.each([
		['j', {}, {type: 'move', delta: 1}],
		['k', {}, {type: 'move', delta: -1}],
		['', {downArrow: true}, {type: 'move', delta: 1}],
		['', {upArrow: true}, {type: 'move', delta: -1}],
		['s', {}, {type: 'request', operation: 'start'}],
		['x', {}, {type: 'request', operation: 'stop'}],
		['r', {}, {type: 'request', operation: 'restart'}],
		['W', {}, {type: 'request', operation: 'reset'}],
		[' ', {}, {type: 'mark'}],
		['/', {}, {type: 'filter-open'}],
		['o', {}, {type: 'sort', reverse: false}],
		['O', {}, {type: 'sort', reverse: true}],
		['', {tab: true}, {type: 'focus'}],
		['', {escape: true}, {type: 'filter-clear'}],
		['l', {}, {type: 'toggle-journal'}],
		['?', {}, {type: 'toggle-help'}],
		['q', {}, {type: 'quit'}],
		['c', {ctrl: true}, {type: 'quit'}],
	] as const)('main: %j %j gives %j', (input, key, action) => {
		expect(keyToAction(state, input, key)).toEqual(action);
	});

	it('ignores unbound keys and Ctrl with a bound letter', () => {
		expect(keyToAction(state, 'z', {})).toBeNull();
		expect(keyToAction(state, 's', {ctrl: true})).toBeNull();
	});

	it('in a confirmation, only y, n, Esc and Ctrl-C do anything', () => {
		const confirming = reduce(state, {type: 'request', operation: 'stop'});
		expect(keyToAction(confirming, 'y', {})).toEqual({type: 'confirm'});
		expect(keyToAction(confirming, 'n', {})).toEqual({type: 'cancel'});
		expect(keyToAction(confirming, '', {escape: true})).toEqual({type: 'cancel'});
		expect(keyToAction(confirming, 'c', {ctrl: true})).toEqual({type: 'quit'});
		expect(keyToAction(confirming, 's', {})).toBeNull();
		expect(keyToAction(confirming, 'q', {})).toBeNull();
	});

	it('in help, ? and Esc close it and q quits', () => {
		const help = reduce(state, {type: 'toggle-help'});
		expect(keyToAction(help, '?', {})).toEqual({type: 'toggle-help'});
		expect(keyToAction(help, '', {escape: true})).toEqual({type: 'toggle-help'});
		expect(keyToAction(help, 'q', {})).toEqual({type: 'quit'});
		expect(keyToAction(help, 'x', {})).toBeNull();
	});

	it('read-only: action keys are refused, the rest still works', () => {
		const ro = loaded(true);
		expect(keyToAction(ro, 's', {})).toEqual({type: 'refuse', text: 'read-only mode: start is disabled'});
		expect(keyToAction(ro, 'x', {})).toEqual({type: 'refuse', text: 'read-only mode: stop is disabled'});
		expect(keyToAction(ro, 'j', {})).toEqual({type: 'move', delta: 1});
	});
});

describe('keymap', () => {
	it('read-only keymap has no binding that acts on the host', () => {
		expect(keymapFor(true).some((b) => b.acts)).toBe(false);
		expect(keymapFor(true).map((b) => b.command)).not.toContain('start');
		expect(keymapFor(false)).toBe(KEYMAP);
	});

	it('no two bindings of one context answer the same key', () => {
		const probes: Array<[string, object]> = [...'sxrlq?jkynWoOgGp/ '].map((c) => [c, {}]);
		probes.push(['', {upArrow: true}], ['', {downArrow: true}], ['', {escape: true}], ['c', {ctrl: true}], ['', {tab: true}], ['', {pageUp: true}], ['', {pageDown: true}], ['', {return: true}], ['', {backspace: true}]);
		for (const context of ['main', 'confirm', 'help', 'filter'] as const) {
			for (const [input, key] of probes) {
				// In the filter line, typed text is the fallback after the named keys.
				const bindings = KEYMAP.filter((b) => b.context === context && b.command !== 'type' && b.matches(input, key));
				expect(bindings.length).toBeLessThanOrEqual(1);
			}
		}
	});
});

describe('reduce', () => {
	it('selects the first instance on the first snapshot and moves within bounds', () => {
		const state = loaded();
		expect(state.selected).toBe('alpha');
		expect(run(state, {type: 'move', delta: -1})).toBe(state);
		expect(run(state, {type: 'move', delta: 1}, {type: 'move', delta: 1}).selected).toBe('charlie');
		expect(run(state, ...Array<Action>(9).fill({type: 'move', delta: 1})).selected).toBe('delta');
	});

	it('keeps the selection across snapshots and falls back to the first when it vanishes', () => {
		const state = run(loaded(), {type: 'move', delta: 1});
		expect(reduce(state, {type: 'snapshot', doc: snapshot([...FLEET].reverse())}).selected).toBe('bravo');
		expect(reduce(state, {type: 'snapshot', doc: snapshot([instance('zulu')])}).selected).toBe('zulu');
		expect(reduce(state, {type: 'snapshot', doc: snapshot([])}).selected).toBeNull();
	});

	it('returns the same state for a snapshot that differs only in time, so nothing re-renders', () => {
		const state = loaded();
		const later = {...snapshot(), generatedAt: '2025-01-01T12:00:01.000Z', intervalMs: 998};
		expect(sameSnapshot(state.doc!, later)).toBe(true);
		expect(reduce(state, {type: 'snapshot', doc: later})).toBe(state);
		const changed = snapshot([instance('alpha', {cpuPercent: 13})]);
		expect(reduce(state, {type: 'snapshot', doc: changed}).doc).toBe(changed);
	});

	it('a snapshot that changes only the header keeps the rows, the sparklines and the table rows as the same objects', () => {
		// A host figure that changes on every snapshot, until the sparklines are full (SPARK_LENGTH samples).
		const at = (load1: number) => ({...snapshot(FLEET.map((i) => ({...i}))), host: {...snapshot().host, load1}});
		const state = Array.from({length: SPARK_LENGTH}, (_, k) => k).reduce((s, k) => reduce(s, {type: 'snapshot', doc: at(k)}), initialState(false));
		const busier = {...at(99), host: {...at(99).host, cpuPercent: 52.5}};
		const next = reduce(state, {type: 'snapshot', doc: busier});
		expect(next).not.toBe(state);
		expect(next.doc?.host.cpuPercent).toBe(52.5);
		expect(next.doc?.instances).toBe(state.doc?.instances);
		expect(next.cpuTrends).toBe(state.cpuTrends);
		expect(rowsOf(next)).toBe(rowsOf(state));
		// The CPU samples still arrive: the history moved on by one.
		expect(next.cpuHistory.get('alpha')).not.toBe(state.cpuHistory.get('alpha'));
		expect(next.cpuHistory.get('alpha')).toEqual(Array<number | null>(SPARK_LENGTH).fill(FLEET[0]!.cpuPercent));
		const sorted = reduce(next, {type: 'sort', reverse: true});
		expect(rowsOf(sorted)).not.toBe(rowsOf(next));
		expect(rowsOf(sorted).map((i) => i.name)).toEqual(rowsOf(next).map((i) => i.name).reverse());
	});

	it('a row that changes gives new rows; a start limit reached is a change even when the Result is not', () => {
		const state = loaded();
		const hotter = snapshot(FLEET.map((i) => (i.name === 'alpha' ? {...i, cpuPercent: 64} : i)));
		expect(reduce(state, {type: 'snapshot', doc: hotter}).doc?.instances).toBe(hotter.instances);
		const limited = snapshot(FLEET.map((i) => (i.name === 'bravo' ? {...i, startLimitHit: !i.startLimitHit} : i)));
		expect(sameSnapshot(state.doc!, limited)).toBe(false);
		expect(reduce(state, {type: 'snapshot', doc: limited}).doc?.instances).toBe(limited.instances);
	});

	it('a start its start limit refused ends with the way out in the dashboard (W), not in the CLI', () => {
		const started = run(loaded(), {type: 'move', delta: 1}, {type: 'request', operation: 'start'});
		const task = started.running!;
		const message = 'left4me-systemctl: the start limit keeps it down (5 restarts, StartLimitBurst 5, Result exit-code): l4d2ctl reset bravo clears it, then start it';
		const done = reduce(started, {type: 'finished', task, failures: [{name: 'bravo', message, hint: undefined}]});
		expect(done.notice).toEqual({tone: 'error', text: message, hint: 's works once its start limit interval has passed; W resets bravo now, wiping its upper layer'});
		const other = reduce(started, {type: 'finished', task, failures: [{name: 'bravo', message: 'Job failed', hint: 'see l4d2ctl logs bravo'}]});
		expect(other.notice?.hint).toBe('see l4d2ctl logs bravo');
	});

	it('start, and restart of an empty server, run at once; stop and reset wait for confirmation', () => {
		const empty = reduce(initialState(false), {type: 'snapshot', doc: snapshot(FLEET.map((i) => ({...i, players: 0})))});
		for (const operation of ['start', 'restart'] as const) {
			const started = reduce(empty, {type: 'request', operation});
			expect(started.running).toEqual({id: 1, operation, names: ['alpha'], players: 0});
			expect(started.confirming).toBeNull();
		}
		for (const operation of ['stop', 'reset'] as const) {
			const asked = reduce({...empty, notice: {tone: 'ok', text: 'stopped charlie'}}, {type: 'request', operation});
			const task = {id: 1, operation, names: ['alpha'], players: 0};
			// The dialog replaces the notice of the last action.
			expect(asked.notice).toBeNull();
			expect(asked.confirming).toEqual(task);
			expect(asked.running).toBeNull();
			expect(reduce(asked, {type: 'confirm'}).running).toEqual(task);
			const cancelled = reduce(asked, {type: 'cancel'});
			expect(cancelled.running).toBeNull();
			expect(cancelled.confirming).toBeNull();
			expect(cancelled.notice).toEqual({tone: 'info', text: `${operation} alpha cancelled`});
		}
	});

	it('refuses actions in read-only mode, with nothing selected, or while one runs', () => {
		expect(reduce(loaded(true), {type: 'request', operation: 'start'})).toMatchObject({running: null, notice: {text: 'read-only mode: start is disabled'}});
		const empty = reduce(initialState(false), {type: 'snapshot', doc: snapshot([])});
		expect(reduce(empty, {type: 'request', operation: 'start'})).toMatchObject({running: null, notice: {text: 'no instance selected'}});
		const busy = reduce(loaded(), {type: 'request', operation: 'start'});
		const again = run(busy, {type: 'move', delta: 1}, {type: 'request', operation: 'start'});
		expect(again.running).toEqual(busy.running);
		expect(again.notice?.text).toBe('busy: start alpha is still running');
	});

	it('reports the result of the running task and ignores stale ones', () => {
		const busy = reduce(loaded(), {type: 'request', operation: 'start'});
		const task = busy.running!;
		expect(reduce(busy, {type: 'finished', task, failures: []})).toMatchObject({running: null, notice: {tone: 'ok', text: 'started alpha'}});
		const failed = reduce(busy, {type: 'finished', task, failures: [{name: 'alpha', message: 'left4me-systemctl: boom', hint: 'try again'}]});
		expect(failed.notice).toEqual({tone: 'error', text: 'left4me-systemctl: boom', hint: 'try again'});
		expect(reduce(busy, {type: 'finished', task: {...task, id: 99}, failures: []})).toBe(busy);
	});

	it('routes key actions through the keymap', () => {
		const state = run(loaded(), {type: 'key', input: 'x', key: {}}, {type: 'key', input: 'y', key: {}});
		expect(state.running).toEqual({id: 1, operation: 'stop', names: ['alpha'], players: 3});
		expect(run(loaded(), {type: 'key', input: 'q', key: {}}).quit).toBe(true);
		const s = loaded();
		expect(reduce(s, {type: 'key', input: 'z', key: {}})).toBe(s);
	});

	it('keeps one error notice for repeated snapshot failures', () => {
		const failed = reduce(loaded(), {type: 'snapshot-failed', text: 'systemctl show failed: x'});
		expect(failed.notice).toEqual({tone: 'error', text: 'systemctl show failed: x', hint: undefined});
		expect(reduce(failed, {type: 'snapshot-failed', text: 'systemctl show failed: x'})).toBe(failed);
	});
});
