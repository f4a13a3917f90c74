/**
 * The RCON console pane's state. Pure: keys reach it through the keymap
 * (context `console`) as actions; the hook use-console.ts sends the
 * `pending` command and feeds the reply back.
 */
import {pushHistory, recall} from '../core/console-history.js';

/** Most output lines kept in memory. */
export const CONSOLE_OUTPUT_CAP = 500;

/** One open console. */
export type ConsoleState = Readonly<{
	/** Instance the console talks to. */
	name: string;
	/** The line being typed. */
	input: string;
	/** Past commands, oldest first (loaded from and saved to disk by the hook; secret ones never kept). */
	history: readonly string[];
	/** Index into history while recalling with ↑/↓; null while editing a new line. */
	cursor: number | null;
	/** Commands and replies shown, newest last, at most {@link CONSOLE_OUTPUT_CAP}. */
	output: readonly string[];
	/** Output lines scrolled back: how many newer lines lie below the pane; 0 shows the newest. */
	scroll: number;
	/** The command the hook should send, or null. */
	pending: Readonly<{id: number; command: string}> | null;
	nextId: number;
}>;

/** A freshly opened console for `name`. */
export function openConsole(name: string): ConsoleState {
	return {name, input: '', history: [], cursor: null, output: [], scroll: 0, pending: null, nextId: 1};
}

function append(output: readonly string[], lines: readonly string[]): string[] {
	return [...output, ...lines].slice(-CONSOLE_OUTPUT_CAP);
}

/** Replaces the typed line (typing, erasing); leaves history recall. Control characters are dropped. */
export function consoleEdit(c: ConsoleState, text: string): ConsoleState {
	const clean = [...text].filter((ch) => ch >= ' ' && ch !== '\u007f').join('');
	return clean === c.input ? c : {...c, input: clean, cursor: null};
}

/** Enter: queues the typed line for sending (not while a command is still unanswered, not an empty line). */
export function consoleSend(c: ConsoleState): ConsoleState {
	const command = c.input.trim();
	if (command === '' || c.pending) return c;
	return {
		...c,
		input: '',
		cursor: null,
		history: pushHistory(c.history, command),
		output: append(c.output, [`${c.name}> ${command}`]),
		scroll: 0,
		pending: {id: c.nextId, command},
		nextId: c.nextId + 1,
	};
}

/** ↑/↓: recalls an older or newer command, like a shell. */
export function consoleRecall(c: ConsoleState, direction: 'up' | 'down'): ConsoleState {
	const r = recall(c.history, c.cursor, direction);
	return r.cursor === c.cursor && r.text === c.input ? c : {...c, cursor: r.cursor, input: r.text};
}

/** The history read from disk when the console opened; commands sent meanwhile stay at the end. */
export function consoleHistory(c: ConsoleState, history: readonly string[]): ConsoleState {
	return {...c, history: c.history.reduce<string[]>((h, command) => pushHistory(h, command), [...history])};
}

/** The reply (or error line, starting `! `) to command `id`; an empty reply shows as `(no output)`. */
export function consoleReply(c: ConsoleState, id: number, text: string): ConsoleState {
	if (c.pending?.id !== id) return c;
	const trimmed = text.replace(/\n+$/, '');
	const lines = trimmed === '' ? ['(no output)'] : trimmed.split('\n');
	// Scrolled back, the view holds still while the reply arrives below it.
	const output = append(c.output, lines);
	return {...c, pending: null, output, scroll: c.scroll === 0 ? 0 : Math.min(c.scroll + lines.length, output.length)};
}

/** The first output line shown and the count shown, for a pane of `rows` output lines. */
export function consoleWindow(c: Pick<ConsoleState, 'output' | 'scroll'>, rows: number): Readonly<{start: number; count: number}> {
	const count = Math.min(Math.max(0, rows), c.output.length);
	const scroll = Math.min(c.scroll, c.output.length - count);
	return {start: c.output.length - count - scroll, count};
}

/**
 * PgUp/PgDn: scrolls the output by `delta` lines (negative: back to older lines), kept
 * within what is held ({@link CONSOLE_OUTPUT_CAP} lines at most).
 * @param rows output lines the pane shows
 */
export function consoleScroll(c: ConsoleState, delta: number, rows: number): ConsoleState {
	const most = Math.max(0, c.output.length - Math.max(1, rows));
	const scroll = Math.max(0, Math.min(most, Math.min(c.scroll, most) - delta));
	return scroll === c.scroll ? c : {...c, scroll};
}
