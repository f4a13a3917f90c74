/**
 * What a table shows with no rows: its heading and one muted line saying why
 * (still reading, nothing there yet, or a filter that hides everything).
 */
import {Box, Text} from 'ink';
import {fitText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link EmptyTable}. */
export type EmptyTableProps = Readonly<{
	/** The table's heading line, already fitted to the width. */
	heading: string;
	/** The reason, one line; cut to the width. */
	text: string;
	/** Screen columns. */
	width: number;
	theme: Theme;
}>;

/** Renders the heading and the reason, indented like the rows would be. */
export function EmptyTable({heading, text, width, theme}: EmptyTableProps) {
	return (
		<Box flexDirection="column" width={width}>
			<Text {...theme.heading} wrap="truncate-end">
				{heading}
			</Text>
			<Text {...theme.muted} wrap="truncate-end">
				{fitText(`  ${text}`, width)}
			</Text>
		</Box>
	);
}
