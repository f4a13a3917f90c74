/**
 * Colour output, with colour forced on: chalk reads FORCE_COLOR when it is first
 * imported, so everything that pulls in Ink is imported after setting it.
 */
import {afterEach, describe, expect, it} from 'vitest';

process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {DashboardView} = await import('../../source/ui/app.js');
const {initialState, reduce} = await import('../../source/ui/dashboard-state.js');
const {colourTheme, plainTheme, themeFor} = await import('../../source/ui/theme.js');
const {FLEET, instance, snapshot} = await import('./fixtures.js');

afterEach(cleanup);

const ESC = '\u001B';
const state = reduce(initialState(false), {type: 'snapshot', doc: snapshot()});
const frame = (theme: typeof colourTheme) =>
	render(<DashboardView state={state} journal={{target: 'alpha', lines: [], error: null}} size={{columns: 80, rows: 24}} theme={theme} timeZone="UTC" />).lastFrame() ?? '';
const lineOf = (text: string, name: string) => text.split('\n').find((l) => l.includes(name)) ?? '';

describe('colour', () => {
	it('colours states: active green, failed red, activating yellow', () => {
		const text = frame(colourTheme);
		expect(lineOf(text, 'bravo')).toContain(`${ESC}[31m`);
		expect(lineOf(text, 'bravo')).toContain('failed (start-limit-hit)');
		expect(lineOf(text, 'delta')).toContain(`${ESC}[33mactivating`);
		expect(lineOf(text, 'charlie')).not.toMatch(/\u001B\[3\dm/);
	});

	it('shows the selected row inverse', () => {
		expect(lineOf(frame(colourTheme), '> alpha')).toContain(`${ESC}[7m`);
		expect(lineOf(frame(colourTheme), 'charlie')).not.toContain(`${ESC}[7m`);
	});

	it('tells start-limit-hit from other failures (inverse red), without colour too', () => {
		expect(lineOf(frame(colourTheme), 'bravo')).toContain(`${ESC}[7m${ESC}[1m${ESC}[31mfailed (start-limit-hit)`);
		expect(lineOf(frame(plainTheme), 'bravo')).toContain(`${ESC}[7m${ESC}[1mfailed (start-limit-hit)`);
	});

	it('shows a crash loop the start limit ended (Result still exit-code) the same way, named "start limit"', () => {
		const looped = instance('echo', {state: 'failed', subState: 'failed', result: 'exit-code', restarts: 5, startLimitHit: true, cpuPercent: null, memoryBytes: null, uptimeSec: null, mainPid: null});
		const crashed = instance('foxtrot', {state: 'failed', subState: 'failed', result: 'exit-code', restarts: 1, cpuPercent: null, memoryBytes: null, uptimeSec: null, mainPid: null});
		const s = reduce(initialState(false), {type: 'snapshot', doc: snapshot([...FLEET, looped, crashed])});
		const text = render(<DashboardView state={s} journal={{target: 'alpha', lines: [], error: null}} size={{columns: 100, rows: 24}} theme={plainTheme} timeZone="UTC" />).lastFrame() ?? '';
		expect(lineOf(text, 'echo')).toContain(`${ESC}[7m${ESC}[1mfailed (start limit)`);
		expect(lineOf(text, 'foxtrot')).toContain('failed (exit-code)');
		expect(lineOf(text, 'foxtrot')).not.toContain(`${ESC}[7m`);
	});

	it('NO_COLOR: no colour codes at all, the selection still inverse and marked', () => {
		const text = frame(plainTheme);
		expect(text).not.toMatch(/\u001B\[(3\d|9\d|38;)/);
		expect(lineOf(text, '> alpha')).toContain(`${ESC}[7m`);
	});

	it('picks the plain theme when NO_COLOR is set and not empty', () => {
		expect(themeFor({NO_COLOR: '1'})).toBe(plainTheme);
		expect(themeFor({NO_COLOR: ''})).toBe(colourTheme);
		expect(themeFor({})).toBe(colourTheme);
	});
});
