/**
 * The instance table: one row per server instance, the selected row marked
 * with `>` (and inverse where the terminal shows it). Columns that do not fit
 * the width are dropped, least useful first.
 */
import {Box, Text} from 'ink';
import {formatDuration, formatMemory, formatPercent, formatState} from '../core/format.js';
import {formatMap, formatPlayers} from '../core/game-info.js';
import {isRunningState, type InstanceView} from '../core/snapshot.js';
import {fitColumns, fitText, windowStart, type ColumnSpec} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link InstanceTable}. */
export type InstanceTableProps = Readonly<{
	/** Instances, or null while the first snapshot is collected. */
	instances: readonly InstanceView[] | null;
	/** Name of the selected instance. */
	selected: string | null;
	/** Screen columns. */
	width: number;
	/** Most instance rows shown (the heading line comes on top); the window follows the selection. */
	maxRows: number;
	theme: Theme;
}>;

/** Width of the selection marker column (`> `). */
const MARKER_WIDTH = 2;

/** Columns in display order; `drop` decides which go first on narrow screens. */
export const COLUMNS: readonly ColumnSpec[] = [
	{id: 'name', header: 'NAME', align: 'left', min: 4, soft: 12, max: 32, drop: 0},
	{id: 'state', header: 'STATE', align: 'left', min: 6, soft: 18, max: 28, drop: 0},
	{id: 'boot', header: 'BOOT', align: 'left', min: 4, max: 4, drop: 5},
	{id: 'port', header: 'PORT', align: 'right', min: 5, max: 5, drop: 4},
	{id: 'uptime', header: 'UPTIME', align: 'right', min: 6, max: 8, drop: 6},
	{id: 'restarts', header: 'RESTARTS', align: 'right', min: 3, max: 8, drop: 3},
	{id: 'cpu', header: 'CPU%', align: 'right', min: 4, max: 6, drop: 2},
	{id: 'memory', header: 'MEMORY', align: 'right', min: 6, max: 11, drop: 1},
	// From A2S_INFO; players outrank restarts, port, boot and uptime on narrow screens.
	{id: 'players', header: 'PLAYERS', align: 'right', min: 3, max: 7, drop: 2.5},
	{id: 'map', header: 'MAP', align: 'left', min: 4, soft: 12, max: 24, drop: 7},
];

/** The text of each cell of one instance, by column id. */
export function cellsOf(i: InstanceView): Record<string, string> {
	return {
		name: i.name,
		state: formatState(i.state, i.result),
		boot: i.enabled ? 'yes' : 'no',
		port: i.port === null ? '-' : String(i.port),
		uptime: formatDuration(i.uptimeSec),
		restarts: i.restarts === null ? '-' : String(i.restarts),
		cpu: formatPercent(i.cpuPercent),
		memory: formatMemory(i.memoryBytes, i.memoryApprox),
		players: formatPlayers(i, isRunningState(i.state)),
		map: formatMap(i.map, isRunningState(i.state)),
	};
}

/** How many lines the table takes for these props (heading included). */
export function tableHeight(instances: readonly InstanceView[] | null, maxRows: number): number {
	return 1 + (instances && instances.length > 0 ? Math.min(instances.length, Math.max(1, maxRows)) : 1);
}

/** Renders the table. */
export function InstanceTable({instances, selected, width, maxRows, theme}: InstanceTableProps) {
	const rows = (instances ?? []).map(cellsOf);
	const cells = new Map(COLUMNS.map((c) => [c.id, rows.map((r) => r[c.id] ?? '')]));
	const columns = fitColumns(COLUMNS, cells, width - MARKER_WIDTH);
	const line = (r: Record<string, string>) => columns.map((c) => fitText(r[c.spec.id] ?? '', c.width, c.spec.align));
	const heading = ' '.repeat(MARKER_WIDTH) + line(Object.fromEntries(COLUMNS.map((c) => [c.id, c.header]))).join(' ');
	if (!instances || instances.length === 0) {
		const empty = instances ? 'no instances: create one with `l4d2ctl create NAME --port PORT`' : 'collecting…';
		return (
			<Box flexDirection="column" width={width}>
				<Text {...theme.heading} wrap="truncate-end">{heading}</Text>
				<Text {...theme.muted} wrap="truncate-end">{fitText(`  ${empty}`, width)}</Text>
			</Box>
		);
	}
	const height = Math.max(1, maxRows);
	const index = instances.findIndex((i) => i.name === selected);
	const start = windowStart(instances.length, Math.max(0, index), height);
	const stateIndex = columns.findIndex((c) => c.spec.id === 'state');
	return (
		<Box flexDirection="column" width={width}>
			<Text {...theme.heading} wrap="truncate-end">{heading}</Text>
			{instances.slice(start, start + height).map((instance) => {
				const isSelected = instance.name === selected;
				const texts = line(cellsOf(instance));
				const before = texts.slice(0, stateIndex).join(' ');
				const after = texts.slice(stateIndex + 1).join(' ');
				return (
					<Text key={instance.name} {...(isSelected ? theme.selected : {})} wrap="truncate-end">
						{isSelected ? '> ' : '  '}
						{before}
						{stateIndex > 0 ? ' ' : ''}
						<Text {...theme.state(instance.state)}>{texts[stateIndex] ?? ''}</Text>
						{after === '' ? '' : ` ${after}`}
					</Text>
				);
			})}
		</Box>
	);
}
