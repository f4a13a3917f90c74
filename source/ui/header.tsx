/**
 * The header: host totals, the two slice totals and the traffic shaping (read by use-shaping.ts). CPU figures are percent of
 * ONE core (the header says so), as in `top`; a 4-core host can show 400.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {formatBytes, formatMemory, formatPercent} from '../core/format.js';
import type {ListDocument, SliceView} from '../core/snapshot.js';
import {packSegments} from './layout.js';
import type {Style, Theme} from './theme.js';

/** Props of {@link Header}. */
export type HeaderProps = Readonly<{
	/** The latest snapshot; null while the first one is collected. */
	doc: ListDocument | null;
	/** Screen columns. */
	width: number;
	theme: Theme;
	/** Traffic shaping: `cake 95Mbit on eth0`, `no cake`, `shaping ?`; not shown while null or absent. */
	shaping?: string | null;
}>;

type Segment = Readonly<{text: string; style: keyof Pick<Theme, 'title' | 'muted'> | null}>;

const SEPARATOR = '  ';

/** Below this width the slices are named `game` and `build` instead of their unit names. */
const NARROW = 60;

function slice(view: SliceView, label: string): string {
	const cpu = view.cpuPercent === null ? '-' : `${formatPercent(view.cpuPercent)}%`;
	return `${label} ${cpu} ${formatMemory(view.memoryBytes, view.memoryApprox)}`;
}

function segments(doc: ListDocument | null, width: number, shaping: string | null): Segment[] {
	const title: Segment = {text: 'left4me', style: 'title'};
	if (!doc) return [title, {text: 'collecting…', style: 'muted'}];
	const {host} = doc;
	return [
		title,
		{text: `host ${host.cpuPercent === undefined || host.cpuPercent === null ? '-' : formatPercent(host.cpuPercent)}% of ${host.cpuCount} cores`, style: null},
		{text: `load ${host.load1.toFixed(2)}`, style: null},
		{text: `mem ${formatBytes(host.memTotalBytes - host.memAvailableBytes)} / ${formatBytes(host.memTotalBytes)}`, style: null},
		{text: slice(doc.slices.game, width < NARROW ? 'game' : doc.slices.game.unit), style: null},
		{text: slice(doc.slices.build, width < NARROW ? 'build' : doc.slices.build.unit), style: null},
		...(shaping === null ? [] : [{text: shaping, style: null}]),
		{text: 'CPU = % of one core', style: 'muted'},
	];
}

/** The header's lines at `width`, as segment lists (exported so the app can budget rows). */
export function headerRows(doc: ListDocument | null, width: number, shaping: string | null = null): Segment[][] {
	const all = segments(doc, width, shaping);
	return packSegments(
		all.map((s) => s.text),
		width,
		SEPARATOR,
	).map((line) => line.map((i) => all[i]).filter((s): s is Segment => s !== undefined));
}

/** Renders the header, wrapping whole segments onto more lines on narrow screens. Memoised, as the table is. */
export const Header = memo(function Header({doc, width, theme, shaping = null}: HeaderProps) {
	return (
		<Box flexDirection="column" width={width}>
			{headerRows(doc, width, shaping).map((line, row) => (
				<Text key={row} wrap="truncate-end">
					{line.map((segment, i) => {
						const style: Style = segment.style ? theme[segment.style] : {};
						return (
							<Text key={i}>
								{i > 0 ? SEPARATOR : ''}
								<Text {...style}>{segment.text}</Text>
							</Text>
						);
					})}
				</Text>
			))}
		</Box>
	);
});
