/**
 * The journal pane: the newest lines of the followed instance's journal that
 * fit, one screen line each (long lines are cut, never wrapped, so the pane
 * keeps its height). Shows the helper's error instead of lines when following failed.
 */
import {Box, Text} from 'ink';
import type {JournalEntry} from '../core/journal.js';
import type {Notice} from './dashboard-state.js';
import {fitText, wrapText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link JournalPane}. */
export type JournalPaneProps = Readonly<{
	/** Followed instance, or null when none is selected. */
	target: string | null;
	/** Newest last. */
	lines: readonly JournalEntry[];
	error: Notice | null;
	/** Screen columns. */
	width: number;
	/** Lines the pane takes, its title line included. */
	height: number;
	theme: Theme;
	/** IANA time zone for timestamps; the local zone when undefined. */
	timeZone?: string;
}>;

/** `HH:MM:SS` of a journal timestamp in the given zone; blanks when unknown. */
export function clockTime(ms: number | null, timeZone?: string): string {
	if (ms === null) return '--:--:--';
	return new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone}).format(ms);
}

/** Renders the pane. */
export function JournalPane({target, lines, error, width, height, theme, timeZone}: JournalPaneProps) {
	const title = `── journal: ${target ?? '(no instance)'} `;
	const body = Math.max(0, height - 1);
	let content;
	if (error) {
		const text = [...wrapText(error.text, width), ...(error.hint ? wrapText(error.hint, width) : [])].slice(0, body);
		content = text.map((t, i) => (
			<Text key={i} {...(i === 0 ? theme.error : {})}>
				{t}
			</Text>
		));
	} else if (target !== null && lines.length === 0) {
		content = <Text {...theme.muted}>{body > 0 ? 'waiting for journal lines…' : ''}</Text>;
	} else {
		content = lines.slice(Math.max(0, lines.length - body)).map((entry, i) => (
			<Text key={i} wrap="truncate-end">
				<Text {...theme.muted}>{clockTime(entry.timeMs, timeZone)} </Text>
				<Text {...theme.priority(entry.priority)}>{entry.message}</Text>
			</Text>
		));
	}
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text {...theme.heading}>{fitText(title + '─'.repeat(Math.max(0, width - title.length)), width)}</Text>
			{content}
		</Box>
	);
}
