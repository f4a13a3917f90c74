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
	{context: 'builds', title: 'Overlay builds (o)'},
	{context: 'confirm', title: 'When asked to confirm'},
	{context: 'help', title: 'In this help'},
];

const LABEL_WIDTH = 7;

/** Commands listed once, under the dashboard keys, when both views are in the list: they work the same. */
const LISTED_ONCE: ReadonlySet<string> = new Set(['quit', 'help', 'up', 'down', 'journal']);

/**
 * The rows of each section; quit is listed once, under the first view's keys, and
 * "show this help" not at all (the help's own footer says how to close it). The
 * dashboard passes one view's bindings (servers or builds) plus confirm and help.
 */
export function helpSections(bindings: readonly Binding[]) {
	const hasMain = bindings.some((b) => b.context === 'main');
	const listed = (section: KeyContext, b: Binding) =>
		b.command !== 'help' && (section === 'main' || (section === 'builds' ? !hasMain || !LISTED_ONCE.has(b.command) : b.command !== 'quit'));
	return SECTIONS.map((s) => ({...s, rows: bindings.filter((b) => b.context === s.context && listed(s.context, b))})).filter(
		(s) => s.rows.length > 0,
	);
}

/** Renders the overlay in place of the header, table and journal. */
export function HelpOverlay({bindings, readOnly, width, height, theme}: HelpOverlayProps) {
	const sections = helpSections(bindings);
	const full = 1 + sections.reduce((n, s) => n + 1 + s.rows.length, 0) + 2;
	const compact = full > height;
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1} overflow="hidden">
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
