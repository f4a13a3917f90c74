/**
 * The overlay builds view: one row per overlay (state, last result, when, how
 * long, script sha256), the selected row marked with `>`; and the confirmation
 * asked before a build is cancelled.
 */
import {Box, Text} from 'ink';
import {describeResult, type BuildView} from '../core/build-result.js';
import {formatDuration} from '../core/format.js';
import type {BuildTask} from './builds-state.js';
import {EmptyTable} from './empty-table.js';
import {fitColumns, fitText, windowStart, wrapText, type ColumnSpec} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link BuildsTable}. */
export type BuildsTableProps = Readonly<{
	/** Overlays, or null before the first document. */
	overlays: readonly BuildView[] | null;
	selected: string | null;
	/** Screen columns. */
	width: number;
	/** Most overlay rows shown (the heading comes on top). */
	maxRows: number;
	theme: Theme;
	/** Formats a finish time; tests pin the zone. */
	timeZone?: string;
}>;

const MARKER_WIDTH = 2;

/** Columns in display order; `drop` decides which go first on narrow screens. */
export const BUILD_COLUMNS: readonly ColumnSpec[] = [
	{id: 'overlay', header: 'OVERLAY', align: 'left', min: 4, soft: 12, max: 32, drop: 0},
	{id: 'state', header: 'STATE', align: 'left', min: 8, max: 8, drop: 0},
	{id: 'result', header: 'LAST RESULT', align: 'left', min: 6, soft: 16, max: 20, drop: 0},
	{id: 'finished', header: 'FINISHED', align: 'left', min: 16, max: 16, drop: 3},
	{id: 'took', header: 'TOOK', align: 'right', min: 4, max: 7, drop: 2},
	{id: 'sha', header: 'SCRIPT', align: 'left', min: 8, max: 8, drop: 1},
];

/** The text of each cell of one overlay, by column id. */
export function buildCells(b: BuildView, timeZone?: string): Record<string, string> {
	const r = b.lastResult;
	const finished = r ? new Intl.DateTimeFormat('sv-SE', {timeZone, dateStyle: 'short', timeStyle: 'short'}).format(new Date(r.finishedAtMs)) : '-';
	return {
		overlay: b.overlay,
		state: b.state,
		result: r ? describeResult(r) : b.hasScript ? 'never built' : '-',
		finished,
		took: r?.durationMs == null ? '-' : formatDuration(Math.round(r.durationMs / 1000)),
		sha: r?.scriptSha256 ? r.scriptSha256.slice(0, 8) : '-',
	};
}

/** Lines the table takes (heading included). */
export function buildsTableHeight(overlays: readonly BuildView[] | null, maxRows: number): number {
	return 1 + (overlays && overlays.length > 0 ? Math.min(overlays.length, Math.max(1, maxRows)) : 1);
}

/** Renders the table. */
export function BuildsTable({overlays, selected, width, maxRows, theme, timeZone}: BuildsTableProps) {
	const rows = (overlays ?? []).map((b) => buildCells(b, timeZone));
	const cells = new Map(BUILD_COLUMNS.map((c) => [c.id, rows.map((r) => r[c.id] ?? '')]));
	const columns = fitColumns(BUILD_COLUMNS, cells, width - MARKER_WIDTH);
	const line = (r: Record<string, string>) => columns.map((c) => fitText(r[c.spec.id] ?? '', c.width, c.spec.align)).join(' ');
	const heading = ' '.repeat(MARKER_WIDTH) + line(Object.fromEntries(BUILD_COLUMNS.map((c) => [c.id, c.header])));
	if (!overlays || overlays.length === 0) {
		const empty = overlays ? 'no overlays: write a build script to /var/lib/left4me/overlay-scripts/NAME.sh' : 'reading…';
		return <EmptyTable heading={heading} text={empty} width={width} theme={theme} />;
	}
	const height = Math.max(1, maxRows);
	const start = windowStart(overlays.length, Math.max(0, overlays.findIndex((b) => b.overlay === selected)), height);
	return (
		<Box flexDirection="column" width={width}>
			<Text {...theme.heading} wrap="truncate-end">{heading}</Text>
			{overlays.slice(start, start + height).map((b, i) => {
				const isSelected = b.overlay === selected;
				const tone = b.state === 'building' ? theme.warning : b.lastResult && describeResult(b.lastResult) !== 'ok' ? theme.error : {};
				return (
					<Text key={b.overlay} {...(isSelected ? theme.selected : tone)} wrap="truncate-end">
						{isSelected ? '> ' : '  '}
						{line(rows[start + i] ?? {})}
					</Text>
				);
			})}
		</Box>
	);
}

/** The confirmation's text lines at an inner width. */
export function buildConfirmLines(task: BuildTask, innerWidth: number): string[] {
	return [...wrapText(`cancel the ${task.overlay} build? Its script is stopped; overlays/${task.overlay} keeps what it wrote so far.`, innerWidth), 'y = yes   n/Esc = no'];
}

/** Lines the confirmation takes (border included). */
export function buildConfirmHeight(task: BuildTask, width: number): number {
	return buildConfirmLines(task, width - 4).length + 2;
}

/** Renders the confirmation as a bordered box across the screen. */
export function BuildConfirmDialog({task, width, theme}: Readonly<{task: BuildTask; width: number; theme: Theme}>) {
	return (
		<Box flexDirection="column" width={width} borderStyle="round" borderColor={theme.colour ? 'yellow' : undefined} paddingX={1}>
			{buildConfirmLines(task, width - 4).map((line, i) => (
				<Text key={i} {...(i === 0 ? theme.heading : theme.key)}>
					{line}
				</Text>
			))}
		</Box>
	);
}
