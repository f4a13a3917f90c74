/**
 * The journal pane: a window of the followed unit's journal lines, one screen
 * line each (long lines are cut, never wrapped, so the pane keeps its height),
 * coloured by priority, filter matches highlighted. The title says what is
 * followed, whether the view follows, is paused or scrolled back, and the
 * filter. Shows the helper's error instead of lines when following failed.
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {Notice} from './dashboard-state.js';
import {filterLines, journalWindow, splitMatches, type JournalLine} from './journal-buffer.js';
import {fitText, wrapText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link JournalPane}. */
export type JournalPaneProps = Readonly<{
	/** Followed instance or `build:OVERLAY`, or null when none is selected. */
	target: string | null;
	/** What the view follows, named in the title while nothing is: `(no instance)`, `(no build)`. Default `instance`. */
	subject?: 'instance' | 'build';
	/** Lines held, oldest first. */
	lines: readonly JournalLine[];
	error: Notice | null;
	/** Case-insensitive substring; only matching lines are shown, matches highlighted. */
	filter?: string;
	/** Seq of the bottom line, or null to show the newest. */
	anchor?: number | null;
	paused?: boolean;
	/** The pane has the focus (its title is marked). */
	focused?: boolean;
	/** How often the follower resumed from the last cursor. */
	resumed?: number;
	/** Screen columns. */
	width: number;
	/** Lines the pane takes, its title line included. */
	height: number;
	theme: Theme;
	/** IANA time zone for timestamps; the local zone when undefined. */
	timeZone?: string;
}>;

const formats = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM:SS` of a journal timestamp in the given zone; blanks when unknown. */
export function clockTime(ms: number | null, timeZone?: string): string {
	if (ms === null) return '--:--:--';
	const key = timeZone ?? '';
	let format = formats.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone});
		formats.set(key, format);
	}
	return format.format(ms);
}

/** The title line's text. */
export function journalTitle(p: Pick<JournalPaneProps, 'target' | 'subject' | 'filter' | 'anchor' | 'paused' | 'focused' | 'resumed'>, above: number, below: number): string {
	const parts = [`journal: ${p.target ?? `(no ${p.subject ?? 'instance'})`}`];
	if (p.paused) parts.push(`PAUSED${below > 0 ? `, ${below} newer` : ''}`);
	else if (p.anchor !== null && p.anchor !== undefined) parts.push(`scrolled back, ${below} newer (G follows)`);
	else parts.push('following');
	if (above > 0) parts.push(`${above} older`);
	if (p.filter) parts.push(`filter "${p.filter}"`);
	if (p.resumed) parts.push(`resumed ×${p.resumed}`);
	return `${p.focused ? '▶' : '─'}─ ${parts.join(' · ')} `;
}

/** Renders the pane. Memoised: a frame where only the header or the table changed leaves it as it was. */
export const JournalPane = memo(function JournalPane(props: JournalPaneProps) {
	const {target, lines, error, width, height, theme, timeZone, filter = ''} = props;
	const body = Math.max(0, height - 1);
	const shown = journalWindow(filterLines(lines, filter), props.anchor ?? null, body);
	const title = journalTitle(props, shown.above, shown.below);
	let content;
	if (error) {
		const text = [...wrapText(error.text, width), ...(error.hint ? wrapText(error.hint, width) : [])].slice(0, body);
		content = text.map((t, i) => (
			<Text key={i} {...(i === 0 ? theme.error : {})} wrap="truncate-end">
				{t}
			</Text>
		));
	} else if (target !== null && shown.lines.length === 0) {
		content = <Text {...theme.muted} wrap="truncate-end">{body > 0 ? (filter && lines.length > 0 ? `no line matches "${filter}"` : 'waiting for journal lines…') : ''}</Text>;
	} else {
		// Each message is cut to the width before Ink measures it: a code point takes at least one column.
		content = shown.lines.map((entry) => (
			<Text key={entry.seq} wrap="truncate-end">
				<Text {...theme.muted}>{clockTime(entry.timeMs, timeZone)} </Text>
				{splitMatches([...entry.message].slice(0, width).join(''), filter).map((part, i) => (
					<Text key={i} {...(part.match ? theme.match : theme.priority(entry.priority))}>
						{part.text}
					</Text>
				))}
			</Text>
		));
	}
	return (
		// Every child is one line at most `width` wide and there are at most `height` of them, so
		// nothing is clipped (Ink re-slices every line of a clipped box on every frame).
		<Box flexDirection="column" width={width} height={height}>
			<Text {...(props.focused ? theme.title : theme.heading)} wrap="truncate-end">{fitText(title + '─'.repeat(Math.max(0, width - [...title].length)), width)}</Text>
			{content}
		</Box>
	);
});
