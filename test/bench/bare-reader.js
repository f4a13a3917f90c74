/**
 * Baseline for the journal flood: reads stdin and splits it into lines, nothing
 * else, then prints its own CPU use (% of one core) and line count as JSON.
 */
const started = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let lines = 0;
let tail = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
	const parts = (tail + chunk).split('\n');
	tail = parts.pop() ?? '';
	lines += parts.length;
});
process.stdin.on('end', () => {
	const cpu = process.cpuUsage(cpu0);
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	process.stdout.write(JSON.stringify({lines, cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100}));
});
