// A success or info notice leaves the footer after OK_NOTICE_MS; an error stays until replaced.
// The reducer, the hook and the footer together, on fake timers (no real waiting).
import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {useReducer} from 'react';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {initialState, reduce, type Action, type DashboardState} from '../../source/ui/dashboard-state.js';
import {Footer} from '../../source/ui/footer.js';
import {plainTheme} from '../../source/ui/theme.js';
import {OK_NOTICE_MS, useNoticeExpiry} from '../../source/ui/use-notice-expiry.js';
import {App} from '../../source/ui/app.js';
import {fakeHost, FakeRunner, snapshot} from './fixtures.js';

beforeEach(() => {
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
});
afterEach(() => {
	cleanup();
	vi.useRealTimers();
});

/** Moves fake time on by `ms`, then lets React render what the timers dispatched (setImmediate stays real). */
async function advance(ms: number): Promise<void> {
	await vi.advanceTimersByTimeAsync(ms);
	await new Promise((resolve) => setImmediate(resolve));
}

/** The footer over the real reducer and the hook; `handle` gets the state and dispatch after each render. */
function Harness({handle}: {handle: (state: DashboardState, dispatch: (a: Action) => void) => void}) {
	const [state, dispatch] = useReducer(reduce, initialState({readOnly: false}));
	useNoticeExpiry(state.notice, dispatch);
	handle(state, dispatch);
	return state.notice ? <Footer bindings={[]} notice={state.notice} readOnly={false} width={60} theme={plainTheme} /> : <Text>(no notice)</Text>;
}

function mount() {
	let state!: DashboardState;
	let dispatch!: (a: Action) => void;
	const app = render(<Harness handle={(s, d) => ((state = s), (dispatch = d))} />);
	const act = async (action: Action) => {
		dispatch(action);
		await advance(0);
	};
	/** Lets Ink draw what the last dispatch changed (its frames are throttled on setTimeout), ms of fake time. */
	const draw = () => advance(100);
	/** Starts the selected instance (alpha) and ends that task: the footer then says `started alpha`. */
	const started = async () => {
		await act({type: 'snapshot', doc: snapshot()});
		await act({type: 'request', operation: 'start'});
		await act({type: 'finished', task: state.running!, failures: []});
	};
	const frame = () => app.lastFrame() ?? '';
	return {act, started, draw, frame, notice: () => state.notice};
}

describe('footer notices over time', () => {
	it('a success notice goes after 10 s, not before', async () => {
		const {started, draw, frame, notice} = mount();
		await started();
		expect(notice()).toEqual({tone: 'ok', text: 'started alpha'});
		await advance(OK_NOTICE_MS - 1);
		expect(frame()).toContain('started alpha');
		expect(notice()?.text).toBe('started alpha');
		await advance(1);
		expect(notice()).toBeNull();
		await draw();
		expect(frame()).toBe('(no notice)');
		expect(OK_NOTICE_MS).toBe(10_000);
	});

	it('an error notice stays until another notice replaces it', async () => {
		const {act, draw, frame} = mount();
		await act({type: 'snapshot-failed', text: 'systemctl failed', hint: 'see the journal'});
		await advance(10 * OK_NOTICE_MS);
		expect(frame()).toContain('systemctl failed');
		await act({type: 'refuse', text: 'read-only mode: stop is disabled'});
		await draw();
		expect(frame()).toContain('read-only mode: stop is disabled');
		expect(frame()).not.toContain('systemctl failed');
	});

	it('an info notice (a cancelled action) goes after 10 s too', async () => {
		const {act, draw, frame, notice} = mount();
		await act({type: 'snapshot', doc: snapshot()});
		await act({type: 'request', operation: 'stop'});
		await act({type: 'cancel'});
		expect(notice()).toEqual({tone: 'info', text: 'stop alpha cancelled'});
		await draw();
		expect(frame()).toContain('stop alpha cancelled');
		await advance(OK_NOTICE_MS - 101);
		expect(notice()?.text).toBe('stop alpha cancelled');
		await advance(1);
		expect(notice()).toBeNull();
		await draw();
		expect(frame()).toBe('(no notice)');
	});

	it('a newer notice is not cut short by the timer of the one it replaced', async () => {
		const {act, started, notice} = mount();
		await started();
		await advance(OK_NOTICE_MS - 2000);
		await act({type: 'refuse', text: 'busy: restart bravo is still running'});
		await advance(5000);
		expect(notice()?.text).toBe('busy: restart bravo is still running');
		// A second success notice gets its own 10 s.
		await started();
		await advance(OK_NOTICE_MS - 1);
		expect(notice()?.text).toBe('started alpha');
		await advance(1);
		expect(notice()).toBeNull();
	});

	it('the reducer clears only the notice that expired', () => {
		const state = initialState({readOnly: false, notice: {tone: 'ok', text: 'restarted bravo'}});
		expect(reduce(state, {type: 'notice-expired', notice: {tone: 'ok', text: 'restarted bravo'}})).toBe(state);
		expect(reduce(state, {type: 'notice-expired', notice: state.notice!}).notice).toBeNull();
	});
});

describe('the App', () => {
	it('s on alpha: "started alpha" in the footer, gone 10 s later', async () => {
		const doc = snapshot();
		const collector = {collect: async () => doc};
		const app = render(<App host={fakeHost(new FakeRunner())} collector={collector} refreshMs={600_000} readOnly={false} theme={plainTheme} size={{columns: 80, rows: 24}} timeZone="UTC" />);
		const frame = () => app.lastFrame() ?? '';
		await advance(100);
		expect(frame()).toMatch(/^> alpha/m);
		app.stdin.write('s');
		for (let i = 0; i < 20 && !frame().includes('started alpha'); i++) await advance(50);
		expect(frame()).toContain('started alpha');
		await advance(OK_NOTICE_MS - 1100);
		expect(frame()).toContain('started alpha');
		await advance(1200);
		expect(frame()).not.toContain('started alpha');
	});
});
