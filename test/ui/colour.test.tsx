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
const {snapshot} = await import('./fixtures.js');

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
		// At 80 columns the state gives way to its soft width (18) so the players column fits.
		expect(lineOf(text, 'bravo')).toContain('failed (start-lim…');
		expect(lineOf(text, 'delta')).toContain(`${ESC}[33mactivating`);
		expect(lineOf(text, 'charlie')).not.toMatch(/\u001B\[3\dm/);
	});

	it('shows the selected row inverse', () => {
		expect(lineOf(frame(colourTheme), '> alpha')).toContain(`${ESC}[7m`);
		expect(lineOf(frame(colourTheme), 'bravo')).not.toContain(`${ESC}[7m`);
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
