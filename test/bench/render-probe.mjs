/**
 * CPU to draw one 100×30 dashboard frame (100 instances, a full journal pane)
 * through Ink, into an in-memory terminal: the cost every redraw pays. Prints
 * {perFrameMs, bytesPerFrame} as JSON.
 */
process.env.NODE_ENV = 'production';
const {default: React} = await import('react');
const {render} = await import('ink');
const {Writable, PassThrough} = await import('node:stream');
const dist = new URL('../../dist/', import.meta.url).href;
const {DashboardView} = await import(dist + 'ui/app.js');
const {initialState, reduce} = await import(dist + 'ui/dashboard-state.js');
const {plainTheme, colourTheme} = await import(dist + 'ui/theme.js');
let bytes = 0;
const stdout = Object.assign(new Writable({write(c, e, d) { bytes += c.length; d(); }}), {isTTY: true, columns: 100, rows: 30});
const inst = (i, cpu) => ({name: `srv${String(i).padStart(2,'0')}`, unit: 'u', state: 'active', subState: 'running', result: 'success', enabled: true, port: 27000+i, layers: [], cpuPercent: cpu, memoryBytes: 4e8, memoryApprox: false, restarts: 0, startLimitHit: false, mainPid: 1, uptimeSec: 3600 + cpu, configError: null});
const doc = (k) => ({schema: 'left4me.list/1', generatedAt: '', intervalMs: 1000, instances: Array.from({length: 100}, (_, i) => inst(i, k + i/10)), slices: {game: {unit: 'l4d2-game.slice', cpuPercent: 1, memoryBytes: 1, memoryApprox: false}, build: {unit: 'l4d2-build.slice', cpuPercent: null, memoryBytes: null, memoryApprox: false}}, host: {cpuCount: 2, cpuPercent: 10 + k, load1: 1, memTotalBytes: 1e10, memAvailableBytes: 5e9}});
const lines = Array.from({length: 200}, (_, i) => ({cursor: null, timeMs: 1e12 + i * 1000, priority: 6, unit: null, message: `status: hostname "left4me stand-in" map c1m1_hotel players 0/8 uptime ${i}s`, pid: 1, seq: i + 1}));
let state = initialState(true);
const theme = process.argv[2] === 'colour' ? colourTheme : plainTheme;
const view = () => React.createElement(DashboardView, {state, journal: {target: 'srv00', lines, error: null}, size: {columns: 100, rows: 30}, theme});
const app = render(view(), {stdout, stdin: Object.assign(new PassThrough(), {isTTY: false}), patchConsole: false, exitOnCtrlC: false, maxFps: 1000});
await new Promise(r => setTimeout(r, 100));
const N = Number(process.env.PROBE_FRAMES ?? 100);
const c0 = process.cpuUsage(); const t0 = performance.now();
for (let k = 0; k < N; k++) { state = reduce(state, {type: 'snapshot', doc: doc(k)}); app.rerender(view()); await new Promise(r => setTimeout(r, 2)); }
const c = process.cpuUsage(c0);
console.log(JSON.stringify({perFrameMs: (c.user + c.system) / 1000 / N, bytesPerFrame: Math.round(bytes / N)}));
app.unmount();
