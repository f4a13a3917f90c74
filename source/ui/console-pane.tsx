/**
 * The RCON console pane: recent commands and replies, and the line being typed.
 */
import {Box, Text} from 'ink';
import type {ConsoleState} from './console-state.js';
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

/** Renders the pane: a title rule, the newest output lines that fit, the prompt. */
export function ConsolePane({console: c, width, height, theme}: ConsolePaneProps) {
	const rows = Math.max(0, height - 2);
	const shown = c.output.slice(-rows);
	const title = `── console: ${c.name} (RCON) `;
	return (
		<Box flexDirection="column" width={width} height={Math.max(2, height)}>
			<Text {...theme.heading} wrap="truncate-end">{fitText(title + '─'.repeat(Math.max(0, width - title.length)), width)}</Text>
			<Box flexDirection="column" height={rows} overflow="hidden">
				{shown.map((line, i) => (
					<Text key={i} {...(line.startsWith(`${c.name}> `) ? theme.key : line.startsWith('! ') ? theme.muted : {})} wrap="truncate-end">
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
