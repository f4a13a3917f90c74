/**
 * What the dashboard pays to draw frames, on an in-memory 100×30 terminal (100
 * instances, a journal pane of 200 lines). run.js bundles this file twice: as
 * l4d2ctl is bundled, and with Ink's own output, measure-text, wrap-text and
 * widest-line modules (deploy/bundle.mjs, INK_REPLACEMENTS), the baseline.
 * Usage: node render-probe.bundle/main.js frame|journal
 *   frame:   the host figures in the header change each frame, as on an idle host;
 *            prints {perFrameMs, bytesPerFrame} (CPU ms per frame).
 *   journal: each frame shows one new, distinct journal line, as when following a
 *            server (5 instances, so frames are cheap); prints {heapGrowthBytes}: the
 *            growth of the heap left after a full GC from line 2000 to line 5000 (the
 *            first lines fill the bounded caches; some growth is V8 optimising code,
 *            once).
 *            Run with --expose-gc.
 */
import {PassThrough, Writable} from 'node:stream';
import React from 'react';
import {render} from 'ink';
import {DashboardView} from '../../source/ui/app.tsx';
import {initialState, reduce} from '../../source/ui/dashboard-state.ts';
import {plainTheme} from '../../source/ui/theme.ts';

const mode = process.argv[2] ?? 'frame';
let bytes = 0;
const stdout = Object.assign(new Writable({write(chunk, _encoding, done) { bytes += chunk.length; done(); }}), {isTTY: true, columns: 100, rows: 30});
const instance = (i) => ({name: `srv${String(i).padStart(2, '0')}`, unit: `l4d2-server@srv${i}.service`, state: 'active', subState: 'running', result: 'success', enabled: true, port: 27000 + i, layers: [], cpuPercent: i / 10, memoryBytes: 4e8, memoryApprox: false, restarts: 0, startLimitHit: false, mainPid: 1000 + i, uptimeSec: 3600, configError: null});
const instances = Array.from({length: mode === 'journal' ? 5 : 100}, (_, i) => instance(i));
const slices = {game: {unit: 'l4d2-game.slice', cpuPercent: 1, memoryBytes: 4e10, memoryApprox: false}, build: {unit: 'l4d2-build.slice', cpuPercent: null, memoryBytes: null, memoryApprox: false}};
const doc = (k) => ({schema: 'left4me.list/1', generatedAt: '', intervalMs: 1000, instances, slices, host: {cpuCount: 2, cpuPercent: 10 + (k % 50), load1: 1, memTotalBytes: 1e10, memAvailableBytes: 5e9}});
const journalLine = (i) => ({cursor: null, timeMs: 1e12 + i * 1000, priority: 6, unit: null, message: `L 11/29/2026 - 12:00:00: "player${i}<${i}><STEAM_1:0:${i * 7}><>" connected, address "127.0.0.1:27005"`, pid: 4242, seq: i + 1});
let lines = Array.from({length: 200}, (_, i) => journalLine(i));
let state = reduce(initialState(true), {type: 'snapshot', doc: doc(0)});
const view = () => React.createElement(DashboardView, {state, journal: {target: 'srv00', lines, error: null}, size: {columns: 100, rows: 30}, theme: plainTheme});
const app = render(view(), {stdout, stdin: Object.assign(new PassThrough(), {isTTY: false}), patchConsole: false, exitOnCtrlC: false, maxFps: 1000});
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
await tick();

if (mode === 'frame') {
	const frames = 300;
	for (let k = 1; k <= 50; k++) { state = reduce(state, {type: 'snapshot', doc: doc(k)}); app.rerender(view()); await tick(); }
	bytes = 0;
	const c0 = process.cpuUsage();
	for (let k = 1; k <= frames; k++) { state = reduce(state, {type: 'snapshot', doc: doc(k)}); app.rerender(view()); await tick(); }
	const c = process.cpuUsage(c0);
	console.log(JSON.stringify({perFrameMs: (c.user + c.system) / 1000 / frames, bytesPerFrame: Math.round(bytes / frames)}));
} else {
	const show = async (from, count) => {
		for (let i = from; i < from + count; i++) { lines = [...lines.slice(1), journalLine(1000 + i)]; app.rerender(view()); await tick(); }
	};
	await show(0, 2000);
	globalThis.gc();
	const before = process.memoryUsage().heapUsed;
	await show(2000, 3000);
	globalThis.gc();
	console.log(JSON.stringify({heapGrowthBytes: process.memoryUsage().heapUsed - before}));
}
app.unmount();
