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
	/** The command the hook should send, or null. */
	pending: Readonly<{id: number; command: string}> | null;
	nextId: number;
}>;

/** A freshly opened console for `name`. */
export function openConsole(name: string): ConsoleState {
	return {name, input: '', history: [], cursor: null, output: [], pending: null, nextId: 1};
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
	return {...c, pending: null, output: append(c.output, lines)};
}
