/**
 * Which instances the table shows and in what order (filter, sort), and the CPU
 * history behind each row's sparkline. Pure.
 */
import {isRunningState, type InstanceView} from '../core/snapshot.js';

/** Columns the table can be sorted by, in the order `o` cycles through them. */
export const SORT_COLUMNS = ['name', 'state', 'cpu', 'memory', 'restarts', 'uptime', 'port', 'players'] as const;

/** A sortable column. */
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** The table's order. Figures sort largest first unless reversed; text sorts A–Z. */
export type Sort = Readonly<{column: SortColumn; reversed: boolean}>;

/** States listed first when sorting by state: the ones that need the operator. */
const STATE_RANK: Readonly<Record<string, number>> = {failed: 0, activating: 1, deactivating: 2, reloading: 3, active: 4, inactive: 5};

function figure(i: InstanceView, column: SortColumn): number | null {
	switch (column) {
		case 'cpu':
			return i.cpuPercent;
		case 'memory':
			return i.memoryBytes;
		case 'restarts':
			return i.restarts;
		case 'uptime':
			return i.uptimeSec;
		case 'port':
			return i.port;
		case 'players':
			return i.players;
		default:
			return null;
	}
}

/** Compares two instances for a sort column (before reversal); ties fall back to the name. */
export function compareInstances(a: InstanceView, b: InstanceView, column: SortColumn): number {
	const byName = a.name.localeCompare(b.name);
	if (column === 'name') return byName;
	if (column === 'state') return (STATE_RANK[a.state] ?? 6) - (STATE_RANK[b.state] ?? 6) || byName;
	const x = figure(a, column);
	const y = figure(b, column);
	if (x === y) return byName;
	if (x === null) return 1;
	if (y === null) return -1;
	// Ports read best ascending; every other figure largest first.
	return (column === 'port' ? x - y : y - x) || byName;
}

/** True when the instance matches a table filter: a case-insensitive substring of name, state, sub-state or result. */
export function matchesFilter(i: InstanceView, filter: string): boolean {
	if (filter === '') return true;
	const needle = filter.toLowerCase();
	return [i.name, i.state, i.subState, i.result].some((field) => field.toLowerCase().includes(needle));
}

/**
 * The rows of the table: filtered, then sorted. By players, servers whose count is unknown
 * (not running, or no A2S_INFO answer) come last in both directions, by name.
 */
export function visibleInstances(instances: readonly InstanceView[], filter: string, sort: Sort): InstanceView[] {
	const rows = instances.filter((i) => matchesFilter(i, filter));
	rows.sort((a, b) => {
		if (sort.column === 'players' && (a.players === null || b.players === null)) {
			return a.players === b.players ? a.name.localeCompare(b.name) : a.players === null ? 1 : -1;
		}
		return (sort.reversed ? -1 : 1) * compareInstances(a, b, sort.column);
	});
	return rows;
}

/** The next sort column after `column`. */
export function nextSortColumn(column: SortColumn): SortColumn {
	return SORT_COLUMNS[(SORT_COLUMNS.indexOf(column) + 1) % SORT_COLUMNS.length]!;
}

/** CPU samples kept per instance for the sparkline. */
export const SPARK_LENGTH = 8;

/** CPU history, percent of one core, oldest first; null where the instance was not running. */
export type CpuHistory = ReadonlyMap<string, readonly (number | null)[]>;

/**
 * Adds one snapshot's CPU figures to the history. Instances no longer listed are dropped; the
 * history of an instance that is not running (ActiveState inactive or failed) is cleared at
 * once, so its sparkline goes blank with the snapshot that shows it stopped.
 * @param measured false for a snapshot without a CPU interval (the first one): nothing is added
 */
export function addCpuSamples(history: CpuHistory, instances: readonly InstanceView[], measured: boolean): CpuHistory {
	const next = new Map<string, readonly (number | null)[]>();
	for (const i of instances) {
		const before = history.get(i.name) ?? [];
		// Not running, or running without a figure (its cgroup is new: it was just restarted): the line starts over.
		if (!isRunningState(i.state, i.subState) || (measured && i.cpuPercent === null)) next.set(i.name, []);
		else next.set(i.name, measured ? [...before, i.cpuPercent].slice(-SPARK_LENGTH) : before);
	}
	return next;
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of CPU samples on a fixed scale: 0 to 100 % of one core (more is
 * drawn as a full bar), so bars compare across rows. A missing sample is a space.
 * @param width characters; the newest samples are kept, padded on the left
 */
export function sparkline(samples: readonly (number | null)[], width = SPARK_LENGTH): string {
	const shown = samples.slice(-width).map((v) => (v === null ? ' ' : BARS[Math.min(BARS.length - 1, Math.max(0, Math.floor((v / 100) * BARS.length)))]!));
	return ' '.repeat(Math.max(0, width - shown.length)) + shown.join('');
}

/** The sparkline of each instance, by name (what the table's trend column shows). */
export type CpuTrends = ReadonlyMap<string, string>;

/**
 * The sparkline of every instance in `history`. Returns `previous` itself when every line is
 * the same, so a table drawn from it can be skipped when nothing it shows changed.
 */
export function cpuTrends(history: CpuHistory, previous?: CpuTrends): CpuTrends {
	const next = new Map<string, string>();
	for (const [name, samples] of history) next.set(name, sparkline(samples));
	if (previous && previous.size === next.size && [...next].every(([name, line]) => previous.get(name) === line)) return previous;
	return next;
}
