/**
 * Runs the dashboard on a fixture host and measures itself. run.js bundles this
 * file exactly as deploy/bundle.mjs bundles l4d2ctl (one module graph, React's
 * production build), so the first frame includes the same module loading.
 * Usage: node dashboard-child.bundle/main.js idle|flood FIXTURE_JSON RESULT_FILE
 *   idle:  on the real terminal (run it in tmux), 1 s refresh; records CPU during the
 *          warm-up, then CPU (average, and the worst 60 s), RSS, frames drawn and GC time
 *          over IDLE_SECONDS.
 *   flood: on an in-memory terminal; the journal stand-in sends 20,000 lines/s for 10 s;
 *          records RSS, lines held, and how long a key press takes to show on screen.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {performance, PerformanceObserver} from 'node:perf_hooks';
import {PassThrough, Writable} from 'node:stream';
import React from 'react';
import {render} from 'ink';
import {makePaths} from '../../source/core/paths.ts';
import {createGameQuerier} from '../../source/system/a2s.ts';
import {createHostView} from '../../source/system/host.ts';
import {createInstanceStore} from '../../source/system/instance-store.ts';
import {createMetricsReader} from '../../source/system/metrics.ts';
import {createPrivileged} from '../../source/system/privileged.ts';
import {createProcessRunner} from '../../source/system/runner.ts';
import {createUnitReader} from '../../source/system/systemd.ts';
import {App} from '../../source/ui/app.tsx';
import {INK_OPTIONS} from '../../source/ui/run-dashboard.tsx';
import {plainTheme} from '../../source/ui/theme.ts';

const [mode, fixtureJson, resultFile] = process.argv.slice(2);
const fixture = JSON.parse(readFileSync(fixtureJson, 'utf8'));

export const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
/** The span of the worst window reported besides the window's average, s (null when the window is shorter). */
const WORST_SECONDS = 60;
/**
 * Before the measured window: the first 5 s (start-up) are skipped, then the warm-up (3 min by
 * default) is measured on its own: code that runs once a second, and a frame every 5 s, is
 * compiled by V8's optimiser over minutes, on its worker threads, and that compiling is part
 * of the process's CPU until it is done. The window proper is the steady state the dashboard
 * spends the day in.
 */
const STARTUP_MS = 5000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 180_000);

process.env.PATH = `${fixture.bin}:${process.env.PATH}`;
const paths = makePaths(fixture.state, fixture.cgroupRoot, fixture.libexec);
const runner = createProcessRunner();
const host = {
	paths,
	runner,
	units: createUnitReader(runner),
	privileged: createPrivileged(runner, paths, true),
	metrics: createMetricsReader(),
	instances: createInstanceStore(paths),
	// Players and map by A2S_INFO, from run.js's a2s-servers.js (one answering socket per fixture port);
	// BENCH_NO_GAME=1 leaves polling out, for the figure without it.
	...(process.env.BENCH_NO_GAME ? {} : {game: countedQuerier(createGameQuerier())}),
	hostView: createHostView(),
};

/** Times of the A2S_INFO queries asked (performance.now(), ms), to see where the batches fall in the window. */
const queryTimes = [];
function countedQuerier(querier) {
	return {info: (port, timeoutMs) => (queryTimes.push(performance.now()), querier.info(port, timeoutMs))};
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuPercent = (before, after, wallMs) => ((after.user - before.user + after.system - before.system) / 1000 / wallMs) * 100;

if (mode === 'idle') {
	let renders = 0;
	const app = render(React.createElement(App, {host, refreshMs: 1000, readOnly: true, theme: plainTheme}), {
		...INK_OPTIONS,
		onRender: () => {
			renders++;
		},
	});
	await sleep(STARTUP_MS);
	const warm0 = process.cpuUsage();
	const w0 = performance.now();
	await sleep(Math.max(0, WARMUP_MS - STARTUP_MS));
	const warmupCpuPercent = cpuPercent(warm0, process.cpuUsage(), performance.now() - w0);
	// Time V8 spent collecting garbage in the window (part of the CPU figure).
	let gcMs = 0;
	const gcLog = [];
	const gc = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			gcMs += entry.duration;
			gcLog.push([Math.round(entry.startTime - t0), Math.round(entry.duration * 10) / 10, entry.detail?.kind]);
		}
	});
	gc.observe({entryTypes: ['gc']});
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const renders0 = renders;
	let rssMax = 0;
	// CPU and wall time at each second, for the worst 60 s within the window.
	const marks = [{cpu: cpu0, at: t0}];
	for (let s = 0; s < IDLE_SECONDS; s++) {
		await sleep(1000);
		marks.push({cpu: process.cpuUsage(), at: performance.now()});
		rssMax = Math.max(rssMax, process.memoryUsage.rss());
	}
	const wallMs = performance.now() - t0;
	gc.disconnect();
	let worst60CpuPercent = null;
	for (let i = 0; i + WORST_SECONDS < marks.length; i++) {
		const a = marks[i];
		const b = marks[i + WORST_SECONDS];
		worst60CpuPercent = Math.max(worst60CpuPercent ?? 0, cpuPercent(a.cpu, b.cpu, b.at - a.at));
	}
	// CPU ms of each second, for a look at where it goes (not printed by run.js).
	const perSecondCpuMs = marks.slice(1).map((m, i) => Math.round((m.cpu.user + m.cpu.system - marks[i].cpu.user - marks[i].cpu.system) / 100) / 10);
	const result = {warmupCpuPercent, warmupMs: WARMUP_MS, cpuPercent: cpuPercent(cpu0, process.cpuUsage(), wallMs), worst60CpuPercent, wallMs, rssMaxBytes: rssMax, renders: renders - renders0, gcMs, perSecondCpuMs, gcLog, queriesAtSecond: [...new Set(queryTimes.filter((t) => t >= t0).map((t) => Math.floor((t - t0) / 1000)))]};
	app.unmount();
	writeFileSync(resultFile, JSON.stringify(result));
	process.exit(0);
}

// flood: an in-memory terminal, so key latency can be timed from the frames written.
const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => {}, ref: () => {}, unref: () => {}});
// Everything written since the last key press (a frame may come in several writes).
let lastFrame = '';
let frames = 0;
const stdout = Object.assign(
	new Writable({
		write(chunk, _encoding, done) {
			lastFrame = (lastFrame + String(chunk)).slice(-200_000);
			frames++;
			done();
		},
	}),
	{isTTY: true, columns: 100, rows: 30},
);
const app = render(React.createElement(App, {host, refreshMs: 1000, readOnly: true, theme: plainTheme}), {...INK_OPTIONS, stdin, stdout, stderr: stdout, patchConsole: false});
await sleep(1500);
const rssBefore = process.memoryUsage.rss();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const latencies = [];
let rssMax = 0;
let key = 0;
while (performance.now() - t0 < 11_000) {
	// `?` opens and closes the help: it changes the screen without changing what is followed.
	const target = key % 2 === 0 ? 'Keys (read-only' : 'journal: srv00';
	const sent = performance.now();
	lastFrame = '';
	stdin.write('?');
	key++;
	while (!lastFrame.includes(target) && performance.now() - sent < 5000) await sleep(1);
	latencies.push(performance.now() - sent);
	rssMax = Math.max(rssMax, process.memoryUsage.rss());
	await sleep(250);
}
const wallMs = performance.now() - t0;
const held = (lastFrame.match(/(\d+) older/) ?? [])[1];
latencies.sort((a, b) => a - b);
const result = {
	cpuPercent: cpuPercent(cpu0, process.cpuUsage(), wallMs),
	rssBeforeBytes: rssBefore,
	rssMaxBytes: rssMax,
	rssAfterBytes: process.memoryUsage.rss(),
	keyLatencyMs: {median: latencies[Math.floor(latencies.length / 2)], max: latencies.at(-1), presses: latencies.length},
	framesWritten: frames,
	olderLinesShown: held === undefined ? null : Number(held),
};
app.unmount();
writeFileSync(resultFile, JSON.stringify(result));
process.exit(0);
