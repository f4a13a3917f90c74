/**
 * The one keymap: key handling, the footer hints and the help overlay all read
 * this table, so they cannot disagree. Read-only mode drops the bindings that
 * change the host.
 */
import type {Key} from 'ink';

/** The part of Ink's key report the bindings look at (tests pass only what they need). */
export type KeyPress = Readonly<Partial<Key>>;

/** Which part of the screen has the keyboard. */
export type KeyContext = 'main' | 'confirm' | 'help' | 'console';

/** What a binding does; {@link keyToAction} in dashboard-state.ts turns it into an action. */
export type Command = 'up' | 'down' | 'start' | 'stop' | 'restart' | 'restart-empty' | 'journal' | 'console' | 'send' | 'history' | 'help' | 'quit' | 'yes' | 'no' | 'close';

/** One row of the keymap. */
export type Binding = Readonly<{
	command: Command;
	/** Where the binding applies. */
	context: KeyContext;
	/** Keys as shown to the operator, e.g. `↑/k`. */
	label: string;
	/** Short word for the footer. */
	hint: string;
	/** One line for the help overlay. */
	description: string;
	/** True for bindings that act on the host; absent in read-only mode. */
	acts: boolean;
	/** Shown in the footer (the help overlay shows every binding). */
	inFooter: boolean;
	matches: (input: string, key: KeyPress) => boolean;
}>;

const ctrlC = (input: string, key: KeyPress) => key.ctrl === true && input === 'c';
const char = (...chars: string[]) => (input: string, key: KeyPress) => key.ctrl !== true && key.meta !== true && chars.includes(input);

/** Every binding, in the order the help overlay lists them. */
export const KEYMAP: readonly Binding[] = [
	{command: 'up', context: 'main', label: '↑/k', hint: 'select', description: 'select the previous instance', acts: false, inFooter: true, matches: (i, k) => k.upArrow === true || char('k')(i, k)},
	{command: 'down', context: 'main', label: '↓/j', hint: 'select', description: 'select the next instance', acts: false, inFooter: true, matches: (i, k) => k.downArrow === true || char('j')(i, k)},
	{command: 'start', context: 'main', label: 's', hint: 'start', description: 'start the instance and enable it at boot (enable --now)', acts: true, inFooter: true, matches: char('s')},
	{command: 'stop', context: 'main', label: 'x', hint: 'stop', description: 'stop the instance and disable it at boot (disable --now); asks first', acts: true, inFooter: true, matches: char('x')},
	{command: 'restart', context: 'main', label: 'r', hint: 'restart', description: 'restart the instance; asks first', acts: true, inFooter: true, matches: char('r')},
	{command: 'restart-empty', context: 'main', label: 'e', hint: 'when empty', description: 'restart once the server reports 0 players (A2S_INFO); asks first; e again stops waiting', acts: true, inFooter: false, matches: char('e')},
	{command: 'console', context: 'main', label: 'c', hint: 'console', description: "open an RCON console to the selected instance (Esc closes it)", acts: true, inFooter: false, matches: char('c')},
	{command: 'journal', context: 'main', label: 'l', hint: 'logs', description: "show or hide the selected instance's journal", acts: false, inFooter: true, matches: char('l')},
	{command: 'help', context: 'main', label: '?', hint: 'help', description: 'show this help', acts: false, inFooter: true, matches: char('?')},
	{command: 'quit', context: 'main', label: 'q/^C', hint: 'quit', description: 'quit the dashboard (servers keep running)', acts: false, inFooter: true, matches: (i, k) => char('q')(i, k) || ctrlC(i, k)},
	{command: 'yes', context: 'confirm', label: 'y', hint: 'yes', description: 'confirm the action', acts: true, inFooter: true, matches: char('y', 'Y')},
	{command: 'no', context: 'confirm', label: 'n/Esc', hint: 'no', description: 'cancel the action', acts: false, inFooter: true, matches: (i, k) => k.escape === true || char('n', 'N')(i, k)},
	{command: 'quit', context: 'confirm', label: '^C', hint: 'quit', description: 'quit the dashboard', acts: false, inFooter: false, matches: ctrlC},
	{command: 'send', context: 'console', label: 'Enter', hint: 'send', description: 'send the typed command over RCON', acts: true, inFooter: true, matches: (_, k) => k.return === true},
	{command: 'history', context: 'console', label: '↑/↓', hint: 'history', description: 'recall earlier commands (kept per instance)', acts: false, inFooter: true, matches: (_, k) => k.upArrow === true || k.downArrow === true},
	{command: 'close', context: 'console', label: 'Esc', hint: 'close', description: 'close the console', acts: false, inFooter: true, matches: (_, k) => k.escape === true},
	{command: 'close', context: 'help', label: '?/Esc', hint: 'close', description: 'close this help', acts: false, inFooter: true, matches: (i, k) => k.escape === true || char('?')(i, k)},
	{command: 'quit', context: 'help', label: 'q/^C', hint: 'quit', description: 'quit the dashboard', acts: false, inFooter: true, matches: (i, k) => char('q')(i, k) || ctrlC(i, k)},
];

/** The bindings in force: without the acting ones in read-only mode. */
export function keymapFor(readOnly: boolean): readonly Binding[] {
	return readOnly ? KEYMAP.filter((b) => !b.acts) : KEYMAP;
}

/** The first binding of `bindings` in `context` that matches the key, or undefined. */
export function findBinding(bindings: readonly Binding[], context: KeyContext, input: string, key: KeyPress): Binding | undefined {
	return bindings.find((b) => b.context === context && b.matches(input, key));
}
