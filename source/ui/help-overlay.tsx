/**
 * The help overlay: every key in force, straight from the keymap. When the
 * screen is short it drops the title and section headings, not keys.
 */
import {Box, Text} from 'ink';
import type {Binding, KeyContext} from './keymap.js';
import {fitText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link HelpOverlay}. */
export type HelpOverlayProps = Readonly<{
	/** The bindings in force (without acting ones in read-only mode). */
	bindings: readonly Binding[];
	readOnly: boolean;
	/** Screen columns. */
	width: number;
	/** Lines available, border included. */
	height: number;
	theme: Theme;
}>;

const SECTIONS: ReadonlyArray<Readonly<{context: KeyContext; title: string}>> = [
	{context: 'main', title: 'Dashboard'},
	{context: 'confirm', title: 'When asked to confirm'},
	{context: 'help', title: 'In this help'},
];

const LABEL_WIDTH = 7;

/** The rows of each section; quit is listed once, under the dashboard keys. */
export function helpSections(bindings: readonly Binding[]) {
	return SECTIONS.map((s) => ({...s, rows: bindings.filter((b) => b.context === s.context && (s.context === 'main' || b.command !== 'quit'))})).filter(
		(s) => s.rows.length > 0,
	);
}

/** Renders the overlay in place of the header, table and journal. */
export function HelpOverlay({bindings, readOnly, width, height, theme}: HelpOverlayProps) {
	const sections = helpSections(bindings);
	const full = 1 + sections.reduce((n, s) => n + 1 + s.rows.length, 0) + 2;
	const compact = full > height;
	// On the smallest screens the border goes too, so every key still shows.
	const rows = sections.reduce((n, s) => n + s.rows.length, 0);
	const borderless = compact && rows + 2 > height;
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle={borderless ? undefined : 'round'} paddingX={1} overflow="hidden">
			{compact ? null : (
				<Text {...theme.title} wrap="truncate-end">
					Keys{readOnly ? ' (read-only: actions are disabled)' : ''}
				</Text>
			)}
			{sections.map(({context, title, rows}) => (
				<Box key={context} flexDirection="column">
					{compact ? null : <Text {...theme.heading}>{title}</Text>}
					{rows.map((b) => (
						<Text key={`${context}-${b.label}`} wrap="truncate-end">
							<Text {...theme.key}>{fitText(b.label, LABEL_WIDTH)}</Text>
							{b.description}
						</Text>
					))}
				</Box>
			))}
		</Box>
	);
}
