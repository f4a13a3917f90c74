/**
 * One metrics sample of 100 instances and the 2 slices (as the dashboard asks every
 * tick) from a fixture cgroupfs tree, against two baselines measured in the same run:
 * plain reads (stat of the directory, then open/read/close of each file: the reader
 * with no fds kept open) and the naive way, one `systemctl show` process per instance.
 */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

const dist = new URL('../../dist/', import.meta.url);

/** CPU time of `fn`, ms per call, over `runs` calls after a warm-up (the steady state: the dashboard samples for hours). */
function cpuPerCall(fn, runs) {
	for (let i = 0; i < 50; i++) fn();
	const before = process.cpuUsage();
	for (let i = 0; i < runs; i++) fn();
	const after = process.cpuUsage();
	return (after.user - before.user + after.system - before.system) / 1000 / runs;
}

/** The groups the dashboard samples each tick: every instance's unit and the two slices. */
function groups(fixture) {
	const slice = (name) => join(fixture.cgroupRoot, 'l4d2.slice', name);
	const map = new Map(fixture.names.map((n) => [`left4me-server@${n}.service`, join(slice('l4d2-game.slice'), `left4me-server@${n}.service`)]));
	map.set('l4d2-game.slice', slice('l4d2-game.slice'));
	map.set('l4d2-build.slice', slice('l4d2-build.slice'));
	return map;
}

/** CPU ms per sample of `fixture`: fds kept open, and plain reads. */
function bothWays(createMetricsReader, fixture, runs) {
	const cached = createMetricsReader();
	const plain = createMetricsReader({maxOpenFiles: 0});
	// Built once, as SnapshotCollector builds it when it reads the instance names.
	const map = groups(fixture);
	try {
		return {cachedMs: cpuPerCall(() => cached.sample(map), runs), plainMs: cpuPerCall(() => plain.sample(map), runs)};
	} finally {
		cached.close();
		plain.close();
	}
}

/**
 * @returns {{withMemoryCurrentMs: number, plainReadsMs: number, rssFallbackMs: number, rssFallbackPlainMs: number, naiveMs: number, naiveRuns: number}}
 *   CPU ms per sample of 100 units + 2 slices: with memory.current (fds kept open / plain reads), without it (summed RSS from /proc), and 100 `systemctl show`
 */
export async function benchMetrics(fixtureWith, fixtureWithout) {
	const {createMetricsReader} = await import(new URL('system/metrics.js', dist));
	const withMemory = bothWays(createMetricsReader, fixtureWith, 500);
	const rss = bothWays(createMetricsReader, fixtureWithout, 200);
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
	return {withMemoryCurrentMs: withMemory.cachedMs, plainReadsMs: withMemory.plainMs, rssFallbackMs: rss.cachedMs, rssFallbackPlainMs: rss.plainMs, naiveMs, naiveRuns};
}
