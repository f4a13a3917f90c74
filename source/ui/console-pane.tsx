/**
 * The RCON console pane: commands and replies (PgUp/PgDn scroll back through the
 * lines console-state.ts keeps, CONSOLE_OUTPUT_CAP), and the line being typed. The title says
 * how many lines lie above and below the window, as the journal pane's does.
 */
import {Box, Text} from 'ink';
import {consoleWindow, type ConsoleState} from './console-state.js';
import {fitText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link ConsolePane}. */
export type ConsolePaneProps = Readonly<{
	console: ConsoleState;
	/** Screen columns. */
	width: number;
	/** Lines available (title and input line included). */
	height: number;
	theme: Theme;
}>;

/**
 * The title line's text: `N older` above the window, `N newer` below it when scrolled back,
 * with the key that scrolls there where the width leaves room for it.
 */
export function consoleTitle(name: string, above: number, below: number, width = Number.POSITIVE_INFINITY): string {
	const title = (keys: boolean) => {
		const parts = [`console: ${name} (RCON)`];
		if (below > 0) parts.push(`scrolled back, ${below} newer${keys ? ' (PgDn)' : ''}`);
		if (above > 0) parts.push(`${above} older${keys && below === 0 ? ' (PgUp)' : ''}`);
		return `── ${parts.join(' · ')} `;
	};
	const full = title(true);
	return [...full].length <= width ? full : title(false);
}

/** Renders the pane: a title rule, the window of output lines, the prompt. */
export function ConsolePane({console: c, width, height, theme}: ConsolePaneProps) {
	const rows = Math.max(0, height - 2);
	const {start, count} = consoleWindow(c, rows);
	const shown = c.output.slice(start, start + count);
	const title = consoleTitle(c.name, start, c.output.length - start - count, width);
	return (
		<Box flexDirection="column" width={width} height={Math.max(2, height)}>
			<Text {...theme.heading} wrap="truncate-end">{fitText(title + '─'.repeat(Math.max(0, width - [...title].length)), width)}</Text>
			<Box flexDirection="column" height={rows} overflow="hidden">
				{shown.map((line, i) => (
					<Text key={start + i} {...(line.startsWith(`${c.name}> `) ? theme.key : line.startsWith('! ') ? theme.muted : {})} wrap="truncate-end">
						{line === '' ? ' ' : line}
					</Text>
				))}
			</Box>
			<Text wrap="truncate-start">
				{`${c.name}> ${c.input}`}
				{c.pending ? <Text {...theme.muted}> (waiting…)</Text> : '█'}
			</Text>
		</Box>
	);
}
