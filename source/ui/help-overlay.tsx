/**
 * The help overlay: every key in force, straight from the keymap, in sections.
 * When the list is taller than the screen it scrolls (↑/↓, PgUp/PgDn) and says
 * how many lines lie above and below.
 */
import {Box, Text} from 'ink';
import {clampHelpScroll, HELP_LABEL_WIDTH, helpLines, helpRows, helpTextWidth} from './help-lines.js';
import type {Binding} from './keymap.js';
import {fitText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link HelpOverlay}. */
export type HelpOverlayProps = Readonly<{
	/** The bindings in force (without acting ones in read-only mode). */
	bindings: readonly Binding[];
	readOnly: boolean;
	/** First line shown (clamped). */
	scroll?: number;
	/** Screen columns. */
	width: number;
	/** Lines available, border included. */
	height: number;
	theme: Theme;
}>;

/** Renders the overlay in place of the header, table and journal. */
export function HelpOverlay({bindings, readOnly, scroll = 0, width, height, theme}: HelpOverlayProps) {
	const textWidth = helpTextWidth(width);
	const lines = helpLines(bindings, readOnly, textWidth);
	const inner = Math.max(1, height - 2);
	const fits = lines.length <= inner;
	// Without room for everything, one line says where the view is.
	const rows = fits ? inner : helpRows(height);
	const start = fits ? 0 : clampHelpScroll(scroll, lines.length, rows);
	const shown = lines.slice(start, start + rows);
	const below = lines.length - start - shown.length;
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1} overflow="hidden">
			{shown.map((line, i) =>
				line.kind === 'key' ? (
					<Text key={start + i} wrap="truncate-end">
						<Text {...theme.key}>{fitText(line.label ?? '', HELP_LABEL_WIDTH)}</Text>
						{fitText(line.text, textWidth - HELP_LABEL_WIDTH)}
					</Text>
				) : (
					<Text key={start + i} {...(line.kind === 'title' ? theme.title : theme.heading)} wrap="truncate-end">
						{fitText(line.text, textWidth)}
					</Text>
				),
			)}
			{fits ? null : (
				<Text {...theme.muted} wrap="truncate-end">
					{fitText(`${start > 0 ? `↑ ${start} more` : ''}${start > 0 && below > 0 ? ', ' : ''}${below > 0 ? `↓ ${below} more (↓/j, PgDn)` : ''}`, textWidth)}
				</Text>
			)}
		</Box>
	);
}
