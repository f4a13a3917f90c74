/**
 * The instance table: one row per server instance, the selected row marked
 * with `>` (and inverse where the terminal shows it). Columns that do not fit
 * the width are dropped, least useful first.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {formatMemory, formatPercent, formatUptime} from '../core/format.js';
import {formatMap, formatPlayers} from '../core/game-info.js';
import {isRunningState, type InstanceView} from '../core/snapshot.js';
import {EmptyTable} from './empty-table.js';
import {fitColumns, fitText, windowStart, type ColumnSpec} from './layout.js';
import {sortHeading} from './sort-heading.js';
import {SPARK_LENGTH, type CpuTrends, type Sort, type SortColumn} from './table-view.js';
import type {Theme} from './theme.js';

/** Props of {@link InstanceTable}. */
export type InstanceTableProps = Readonly<{
	/** The rows to show (already filtered and sorted), or null while the first snapshot is collected. */
	instances: readonly InstanceView[] | null;
	/** The sparkline of each instance (table-view.ts cpuTrends); the trend column is left out when absent. */
	trends?: CpuTrends;
	/** Instances marked for a bulk action (shown with `*`). */
	marked?: ReadonlySet<string>;
	/** The sort, marked in the heading. */
	sort?: Sort;
	/** The table filter, named when it hides every row. */
	filter?: string;
	/** Instances before filtering (to tell "none match" from "none exist"). */
	total?: number;
	/** Optional columns to show (name and state always are); all when undefined. */
	columns?: readonly string[];
	/** Name of the selected instance. */
	selected: string | null;
	/** Screen columns. */
	width: number;
	/** Most instance rows shown (the heading line comes on top); the window follows the selection. */
	maxRows: number;
	theme: Theme;
}>;

/** Width of the selection and mark column (`>*`). */
const MARKER_WIDTH = 2;

/** Columns in display order; `drop` decides which go first on narrow screens. */
export const COLUMNS: readonly ColumnSpec[] = [
	{id: 'name', header: 'NAME', align: 'left', min: 4, soft: 12, max: 32, drop: 0},
	// max fits `activating/auto-restart (exit-code)`, the longest state a crash loop shows.
	{id: 'state', header: 'STATE', align: 'left', min: 6, soft: 18, max: 36, drop: 0},
	// From A2S_INFO. They, and the columns ranked below them, go whole before the state column is cut
	// (the failure reason stays readable); players outrank restarts, port, boot and uptime, the map
	// outranks boot and uptime.
	{id: 'players', header: 'PLAYERS', align: 'right', min: 3, max: 8, drop: 2.5, yields: true},
	{id: 'map', header: 'MAP', align: 'left', min: 4, max: 24, drop: 4.5, yields: true},
	{id: 'boot', header: 'BOOT', align: 'left', min: 4, max: 4, drop: 5},
	{id: 'port', header: 'PORT', align: 'right', min: 5, max: 5, drop: 4},
	{id: 'uptime', header: 'UPTIME', align: 'right', min: 6, max: 8, drop: 6},
	{id: 'restarts', header: 'RESTARTS', align: 'right', min: 3, max: 9, drop: 3},
	{id: 'cpu', header: 'CPU%', align: 'right', min: 4, max: 6, drop: 2},
	{id: 'trend', header: 'CPU 0-100', align: 'left', min: SPARK_LENGTH, max: 9, drop: 7},
	{id: 'memory', header: 'MEMORY', align: 'right', min: 6, max: 11, drop: 1},
];

/** The column each sort key is shown on. */
const SORT_HEADER: Readonly<Record<SortColumn, string>> = {name: 'name', state: 'state', cpu: 'cpu', memory: 'memory', restarts: 'restarts', uptime: 'uptime', port: 'port', players: 'players'};

/**
 * The state cell: `ActiveState/SubState`, one word when they agree, with the systemd Result when
 * it is not `success` (`failed (start-limit-hit)`, `activating/auto-restart (exit-code)`), or
 * `failed (start limit)` for a crash loop the start limit ended (its Result stays exit-code).
 */
export function stateText(i: Pick<InstanceView, 'state' | 'subState' | 'result' | 'startLimitHit'>): string {
	const base = i.subState === i.state || i.subState === 'unknown' || i.subState === '' ? i.state : `${i.state}/${i.subState}`;
	if (i.startLimitHit && i.state === 'failed' && i.result !== 'start-limit-hit') return `${base} (start limit)`;
	return i.result && i.result !== 'success' ? `${base} (${i.result})` : base;
}

/** The theme key for a row's state: start-limit-hit is told apart from other failures. */
export function stateKey(i: Pick<InstanceView, 'state' | 'result' | 'startLimitHit'>): string {
	return i.state === 'failed' && (i.startLimitHit || i.result === 'start-limit-hit') ? 'start-limit-hit' : i.state;
}

const EMPTY_TREND = ' '.repeat(SPARK_LENGTH);

/** The text of each cell of one instance, by column id. */
export function cellsOf(i: InstanceView, trends?: CpuTrends): Record<string, string> {
	return {
		name: i.name,
		state: stateText(i),
		trend: trends?.get(i.name) ?? (trends ? EMPTY_TREND : ''),
		boot: i.enabled ? 'yes' : 'no',
		port: i.port === null ? '-' : String(i.port),
		uptime: formatUptime(i.uptimeSec),
		restarts: i.restarts === null ? '-' : String(i.restarts),
		cpu: formatPercent(i.cpuPercent),
		memory: formatMemory(i.memoryBytes, i.memoryApprox),
		players: formatPlayers(i, isRunningState(i.state, i.subState)),
		map: formatMap(i.map, isRunningState(i.state, i.subState)),
	};
}

/** How many lines the table takes for these props (heading included). */
export function tableHeight(instances: readonly InstanceView[] | null, maxRows: number): number {
	return 1 + (instances && instances.length > 0 ? Math.min(instances.length, Math.max(1, maxRows)) : 1);
}

/** Fits the columns; the sparkline is shown only where it costs no other column any width. */
function fitWithTrend(specs: readonly ColumnSpec[], cells: ReadonlyMap<string, readonly string[]>, width: number) {
	const without = fitColumns(
		specs.filter((c) => c.id !== 'trend'),
		cells,
		width,
	);
	if (!specs.some((c) => c.id === 'trend')) return without;
	const withTrend = fitColumns(specs, cells, width);
	const same = without.every((c) => withTrend.find((w) => w.spec.id === c.spec.id)?.width === c.width);
	return same && withTrend.some((c) => c.spec.id === 'trend') ? withTrend : without;
}

/**
 * The rows the table shows: at most `maxRows` (at least 1), a window that follows the selection.
 * @returns indexes into `instances`, `end` exclusive
 */
export function shownWindow(instances: readonly InstanceView[], selected: string | null, maxRows: number): {start: number; end: number} {
	const height = Math.max(1, maxRows);
	const index = instances.findIndex((i) => i.name === selected);
	const start = windowStart(instances.length, Math.max(0, index), height);
	return {start, end: Math.min(instances.length, start + height)};
}

/**
 * Renders the table. Memoised: a frame where only the header or the journal changed does not
 * compute the table again (the dashboard keeps `instances`, `trends` and the rest the same
 * objects while what they show is the same).
 */
export const InstanceTable = memo(function InstanceTable({instances, selected, width, maxRows, theme, trends, marked, sort, filter, total, columns: shown}: InstanceTableProps) {
	const rows = (instances ?? []).map((i) => cellsOf(i, trends));
	const specs = COLUMNS.filter((c) => (c.id !== 'trend' || trends) && (c.drop === 0 || !shown || shown.includes(c.id)));
	const cells = new Map(specs.map((c) => [c.id, rows.map((r) => r[c.id] ?? '')]));
	const columns = fitWithTrend(specs, cells, width - MARKER_WIDTH);
	const line = (r: Record<string, string>) => columns.map((c) => fitText(r[c.spec.id] ?? '', c.width, c.spec.align));
	// The sort marker costs no width, so the columns do not move when the sort changes.
	const heading = sortHeading(columns, sort ? {id: SORT_HEADER[sort.column], marker: sort.reversed ? '▲' : '▼'} : null, width, ' '.repeat(MARKER_WIDTH));
	if (!instances || instances.length === 0) {
		const empty = !instances
			? 'collecting…'
			: filter && (total ?? 0) > 0
				? `no instance matches "${filter}" (Esc clears the filter)`
				: 'no instances: create one with `l4d2ctl create NAME --port PORT`';
		return <EmptyTable heading={heading} text={empty} width={width} theme={theme} />;
	}
	const {start, end} = shownWindow(instances, selected, maxRows);
	const stateIndex = columns.findIndex((c) => c.spec.id === 'state');
	return (
		<Box flexDirection="column" width={width}>
			<Text {...theme.heading} wrap="truncate-end">{heading}</Text>
			{instances.slice(start, end).map((instance, k) => {
				const isSelected = instance.name === selected;
				const texts = line(rows[start + k]!);
				const before = texts.slice(0, stateIndex).join(' ');
				const after = texts.slice(stateIndex + 1).join(' ');
				return (
					<Text key={instance.name} {...(isSelected ? theme.selected : {})} wrap="truncate-end">
						{isSelected ? '>' : ' '}
						{marked?.has(instance.name) ? '*' : ' '}
						{before}
						{stateIndex > 0 ? ' ' : ''}
						<Text {...theme.state(stateKey(instance))}>{texts[stateIndex] ?? ''}</Text>
						{after === '' ? '' : ` ${after}`}
					</Text>
				);
			})}
		</Box>
	);
});
