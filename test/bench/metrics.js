/**
 * One metrics sample of 100 instances from a fixture cgroupfs tree, against the
 * naive alternative: one `systemctl show` process per instance.
 */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

const dist = new URL('../../dist/', import.meta.url);

/** CPU time of `fn`, ms per call, over `runs` calls after a warm-up. */
function cpuPerCall(fn, runs) {
	for (let i = 0; i < 5; i++) fn();
	const before = process.cpuUsage();
	for (let i = 0; i < runs; i++) fn();
	const after = process.cpuUsage();
	return (after.user - before.user + after.system - before.system) / 1000 / runs;
}

/**
 * @returns {{withMemoryCurrentMs: number, rssFallbackMs: number, naiveMs: number, naiveRuns: number}}
 */
export async function benchMetrics(fixtureWith, fixtureWithout) {
	const {createMetricsReader} = await import(new URL('system/metrics.js', dist));
	const reader = createMetricsReader();
	const groups = (f) => new Map(f.names.map((n) => [`left4me-server@${n}.service`, join(f.cgroupRoot, `l4d2.slice/l4d2-game.slice/left4me-server@${n}.service`)]));
	const withMemoryCurrentMs = cpuPerCall(() => reader.sample(groups(fixtureWith)), 200);
	const rssFallbackMs = cpuPerCall(() => reader.sample(groups(fixtureWithout)), 200);
	// The naive way: a process per instance. Its CPU is mostly in the children, so count those too.
	const naiveRuns = 3;
	const script = `for u in ${fixtureWith.names.map((n) => `left4me-server@${n}.service`).join(' ')}; do systemctl show -p CPUUsageNSec -p MemoryCurrent "$u" >/dev/null 2>&1; done; times`;
	let naiveMs = 0;
	for (let i = 0; i < naiveRuns; i++) {
		const out = spawnSync('bash', ['-c', script], {encoding: 'utf8'}).stdout.trim().split('\n').at(-1) ?? '';
		// `times` prints the children's user and system time, e.g. "0m0.512s 0m0.301s".
		const seconds = [...out.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
		naiveMs += (seconds * 1000) / naiveRuns;
	}
	return {withMemoryCurrentMs, rssFallbackMs, naiveMs, naiveRuns};
}
