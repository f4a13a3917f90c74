/**
 * Renders a scripted sequence of dashboard frames on the real terminal with the
 * dashboard's own Ink options (run in tmux by test/ui/tty.test.ts): the first
 * frame before any snapshot, then snapshots whose figures change, then a
 * shorter footer. Prints nothing else; exits after the last frame.
 * Usage: tty-frames.tsx [colour]   (the plain theme unless `colour`)
 */
import {render} from 'ink';
// tsx compiles this file with the classic JSX runtime.
import React from 'react';
import {DashboardView} from '../../../source/ui/app.js';
import {initialState, reduce} from '../../../source/ui/dashboard-state.js';
import {INK_OPTIONS} from '../../../source/ui/run-dashboard.js';
import {colourTheme, plainTheme} from '../../../source/ui/theme.js';
import {FLEET, instance, snapshot} from '../fixtures.js';

const size = {columns: process.stdout.columns, rows: process.stdout.rows};
const journal = {target: 'alpha', lines: [], error: null};
const theme = process.argv[2] === 'colour' ? colourTheme : plainTheme;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let state = initialState(false);
void React;
const view = () => <DashboardView state={state} journal={journal} size={size} theme={theme} timeZone="UTC" />;
const app = render(view(), INK_OPTIONS);
await pause(300);
for (const cpu of [10.5, 20.5, 30.5]) {
	state = reduce(state, {type: 'snapshot', doc: snapshot([instance('alpha', {cpuPercent: cpu}), ...FLEET.slice(1)])});
	app.rerender(view());
	await pause(300);
}
state = reduce(state, {type: 'refuse', text: 'a notice that takes one line'});
app.rerender(view());
await pause(300);
state = reduce(state, {type: 'refuse', text: 'frame ready'});
app.rerender(view());
await pause(300);
app.unmount();
process.stdout.write('\u001B[?25h');
await pause(60_000);
