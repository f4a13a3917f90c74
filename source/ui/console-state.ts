/**
 * The RCON console pane's state and its key handling. Pure: the hook
 * use-console.ts sends `pending` commands and feeds replies back.
 */
import {pushHistory, recall} from '../core/console-history.js';
import type {KeyPress} from './keymap.js';

/** Most output lines kept in memory. */
export const CONSOLE_OUTPUT_CAP = 500;

/** One open console. */
export type ConsoleState = Readonly<{
	/** Instance the console talks to. */
	name: string;
	/** The line being typed. */
	input: string;
	/** Past commands, oldest first (loaded from and saved to disk by the hook). */
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

/**
 * Applies one key press. Printable text is typed; Enter sends; ↑/↓ recall history;
 * Backspace deletes; Esc closes; Ctrl-C quits the dashboard.
 */
export function consoleKey(c: ConsoleState, input: string, key: KeyPress): ConsoleState | 'close' | 'quit' {
	if (key.ctrl === true && input === 'c') return 'quit';
	if (key.escape === true) return 'close';
	if (key.return === true) {
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
	if (key.upArrow === true || key.downArrow === true) {
		const r = recall(c.history, c.cursor, key.upArrow === true ? 'up' : 'down');
		return {...c, cursor: r.cursor, input: r.text};
	}
	if (key.backspace === true || key.delete === true) return {...c, input: [...c.input].slice(0, -1).join('')};
	if (key.ctrl === true || key.meta === true || key.tab === true) return c;
	// Pasted text arrives as one input; keep printable characters only.
	const text = [...input].filter((ch) => ch >= ' ' && ch !== '\u007f').join('');
	return text === '' ? c : {...c, input: c.input + text};
}

/** The reply (or error line) to command `id`. */
export function consoleReply(c: ConsoleState, id: number, text: string): ConsoleState {
	if (c.pending?.id !== id) return c;
	const lines = text.replace(/\n$/, '').split('\n');
	return {...c, pending: null, output: append(c.output, lines)};
}
