/**
 * The one keymap: key handling, the footer hints and the help overlay all read
 * this table, so they cannot disagree. Read-only mode drops the bindings that
 * change the host.
 */
import type {Key} from 'ink';
import {BUILDS_BINDINGS, journalNavigation, type BuildsCommand} from './builds-keymap.js';
import {CONSOLE_OUTPUT_CAP} from './console-state.js';

/** The part of Ink's key report the bindings look at (tests pass only what they need). */
export type KeyPress = Readonly<Partial<Key>>;

/** Which part of the screen has the keyboard. */
export type KeyContext = 'main' | 'builds' | 'confirm' | 'help' | 'filter' | 'console';

/** What a binding does; {@link keyToAction} in dashboard-state.ts turns it into an action. */
export type Command =
	| 'up'
	| 'down'
	| 'mark'
	| 'start'
	| 'stop'
	| 'restart'
	| 'reset'
	| 'restart-empty'
	| 'console'
	| 'send'
	| 'history-up'
	| 'history-down'
	| 'journal'
	| 'focus'
	| 'filter'
	| 'clear-filter'
	| 'sort'
	| 'reverse'
	| 'page-up'
	| 'page-down'
	| 'top'
	| 'bottom'
	| 'pause'
	| 'help'
	| 'quit'
	| 'yes'
	| 'no'
	| 'close'
	| 'help-up'
	| 'help-down'
	| 'help-page-up'
	| 'help-page-down'
	| 'type'
	| 'erase'
	| 'apply'
	| 'discard'
	| BuildsCommand;

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
/** Printable text typed into the filter line (no control characters, no navigation keys). */
const printable = (input: string, key: KeyPress) =>
	key.ctrl !== true && key.meta !== true && key.return !== true && key.tab !== true && key.escape !== true && input !== '' && !/[\u0000-\u001f\u007f]/.test(input);

/** Every binding, in the order the help overlay lists them. */
export const KEYMAP: readonly Binding[] = [
	{command: 'up', context: 'main', label: '↑/k', hint: 'select', description: 'select the previous instance', acts: false, inFooter: true, matches: (i, k) => k.upArrow === true || char('k')(i, k)},
	{command: 'down', context: 'main', label: '↓/j', hint: 'select', description: 'select the next instance', acts: false, inFooter: true, matches: (i, k) => k.downArrow === true || char('j')(i, k)},
	{command: 'mark', context: 'main', label: 'space', hint: 'mark', description: 'mark or unmark the instance; actions then apply to every marked one', acts: true, inFooter: true, matches: char(' ')},
	{command: 'start', context: 'main', label: 's', hint: 'start', description: 'start and enable at boot (enable --now); asks first for several', acts: true, inFooter: true, matches: char('s')},
	{command: 'stop', context: 'main', label: 'x', hint: 'stop', description: 'stop and disable at boot (disable --now); always asks first', acts: true, inFooter: true, matches: char('x')},
	{command: 'restart', context: 'main', label: 'r', hint: 'restart', description: 'restart; asks first for several, or when players are online', acts: true, inFooter: true, matches: char('r')},
	{command: 'reset', context: 'main', label: 'W', hint: 'reset', description: "reset: wipe the overlay's upper layer (stopped for it and started again if running); always asks", acts: true, inFooter: true, matches: char('W')},
	{command: 'restart-empty', context: 'main', label: 'e', hint: 'when empty', description: 'restart once the server reports 0 players (A2S_INFO); always asks; e again stops waiting', acts: true, inFooter: true, matches: char('e')},
	{command: 'console', context: 'main', label: 'c', hint: 'console', description: 'open an RCON console to the selected instance (Esc closes it)', acts: true, inFooter: true, matches: char('c')},
	{command: 'journal', context: 'main', label: 'l', hint: 'logs', description: "show or hide the selected instance's journal", acts: false, inFooter: true, matches: char('l')},
	BUILDS_BINDINGS.open,
	{command: 'focus', context: 'main', label: 'Tab', hint: 'pane', description: 'move the focus between the table and the journal (/ and Esc act on it)', acts: false, inFooter: true, matches: (_i, k) => k.tab === true},
	{command: 'filter', context: 'main', label: '/', hint: 'filter', description: 'filter the focused pane (journal matches are highlighted)', acts: false, inFooter: true, matches: char('/')},
	{command: 'clear-filter', context: 'main', label: 'Esc', hint: 'clear', description: "clear the focused pane's filter", acts: false, inFooter: false, matches: (_i, k) => k.escape === true},
	{command: 'sort', context: 'main', label: 'o', hint: 'sort', description: 'sort the table by the next column (name, state, CPU, memory, restarts, uptime, port, players)', acts: false, inFooter: true, matches: char('o')},
	{command: 'reverse', context: 'main', label: 'O', hint: 'reverse', description: 'reverse the sort order', acts: false, inFooter: false, matches: char('O')},
	...journalNavigation('main', true),
	{command: 'help', context: 'main', label: '?', hint: 'help', description: 'show this help', acts: false, inFooter: true, matches: char('?')},
	{command: 'quit', context: 'main', label: 'q/^C', hint: 'quit', description: 'quit the dashboard (servers keep running)', acts: false, inFooter: true, matches: (i, k) => char('q')(i, k) || ctrlC(i, k)},
	...BUILDS_BINDINGS.view,
	{command: 'yes', context: 'confirm', label: 'y', hint: 'yes', description: 'confirm the action', acts: true, inFooter: true, matches: char('y', 'Y')},
	{command: 'no', context: 'confirm', label: 'n/Esc', hint: 'no', description: 'cancel the action', acts: false, inFooter: true, matches: (i, k) => k.escape === true || char('n', 'N')(i, k)},
	{command: 'quit', context: 'confirm', label: '^C', hint: 'quit', description: 'quit the dashboard', acts: false, inFooter: false, matches: ctrlC},
	{command: 'apply', context: 'filter', label: 'Enter', hint: 'apply', description: 'keep the filter and return to the dashboard', acts: false, inFooter: true, matches: (_i, k) => k.return === true},
	{command: 'discard', context: 'filter', label: 'Esc', hint: 'clear', description: 'clear the filter and return', acts: false, inFooter: true, matches: (_i, k) => k.escape === true},
	{command: 'erase', context: 'filter', label: '⌫', hint: 'erase', description: 'delete the last character', acts: false, inFooter: true, matches: (_i, k) => k.backspace === true || k.delete === true},
	{command: 'quit', context: 'filter', label: '^C', hint: 'quit', description: 'quit the dashboard', acts: false, inFooter: false, matches: ctrlC},
	{command: 'type', context: 'filter', label: 'text', hint: 'type', description: 'type the filter: a case-insensitive substring', acts: false, inFooter: false, matches: printable},
	{command: 'send', context: 'console', label: 'Enter', hint: 'send', description: 'send the typed command over RCON', acts: true, inFooter: true, matches: (_i, k) => k.return === true},
	{command: 'history-up', context: 'console', label: '↑', hint: 'history', description: 'recall an older command (kept on disk per instance)', acts: false, inFooter: true, matches: (_i, k) => k.upArrow === true},
	{command: 'history-down', context: 'console', label: '↓', hint: 'history', description: 'recall a newer command', acts: false, inFooter: true, matches: (_i, k) => k.downArrow === true},
	{command: 'page-up', context: 'console', label: 'PgUp', hint: 'scroll', description: `one page back through the replies (the last ${CONSOLE_OUTPUT_CAP} lines are kept)`, acts: false, inFooter: false, matches: (_i, k) => k.pageUp === true},
	{command: 'page-down', context: 'console', label: 'PgDn', hint: 'scroll', description: 'one page on, to the newest reply', acts: false, inFooter: false, matches: (_i, k) => k.pageDown === true},
	{command: 'erase', context: 'console', label: '⌫', hint: 'erase', description: 'delete the last character', acts: false, inFooter: false, matches: (_i, k) => k.backspace === true || k.delete === true},
	{command: 'close', context: 'console', label: 'Esc', hint: 'close', description: 'close the console', acts: false, inFooter: true, matches: (_i, k) => k.escape === true},
	{command: 'quit', context: 'console', label: '^C', hint: 'quit', description: 'quit the dashboard', acts: false, inFooter: false, matches: ctrlC},
	{command: 'type', context: 'console', label: 'text', hint: 'type', description: 'type an RCON command, e.g. status or changelevel c2m1_highway', acts: false, inFooter: false, matches: printable},
	{command: 'help-up', context: 'help', label: '↑/k', hint: 'scroll', description: 'scroll this help up', acts: false, inFooter: true, matches: (i, k) => k.upArrow === true || char('k')(i, k)},
	{command: 'help-down', context: 'help', label: '↓/j', hint: 'scroll', description: 'scroll this help down', acts: false, inFooter: true, matches: (i, k) => k.downArrow === true || char('j')(i, k)},
	{command: 'help-page-up', context: 'help', label: 'PgUp', hint: 'page', description: 'one page up', acts: false, inFooter: false, matches: (_i, k) => k.pageUp === true},
	{command: 'help-page-down', context: 'help', label: 'PgDn', hint: 'page', description: 'one page down', acts: false, inFooter: false, matches: (_i, k) => k.pageDown === true},
	{command: 'close', context: 'help', label: '?/Esc', hint: 'close', description: 'close this help', acts: false, inFooter: true, matches: (i, k) => k.escape === true || char('?')(i, k)},
	{command: 'quit', context: 'help', label: 'q/^C', hint: 'quit', description: 'quit the dashboard', acts: false, inFooter: true, matches: (i, k) => char('q')(i, k) || ctrlC(i, k)},
];

/** The bindings in force: without the acting ones in read-only mode. */
export function keymapFor(readOnly: boolean): readonly Binding[] {
	return readOnly ? READ_ONLY_KEYMAP : KEYMAP;
}

const READ_ONLY_KEYMAP: readonly Binding[] = KEYMAP.filter((b) => !b.acts);

/**
 * Commands the footer shows, in this order, while the journal pane has the focus: its own keys first.
 * The servers view has no `builds-close`, the builds view no `clear-filter` (Esc goes back there).
 */
const JOURNAL_FOOTER: readonly string[] = ['page-up', 'page-down', 'top', 'bottom', 'pause', 'filter', 'clear-filter', 'focus', 'builds-close', 'help', 'quit'];

/**
 * The footer's bindings while the journal pane has the focus: scrolling, pausing, filtering and
 * leaving the pane, in place of the table's actions (which still work; `?` lists them).
 * @param context the view: `main` (servers) or `builds`
 */
export function journalFooterBindings(bindings: readonly Binding[], context: 'main' | 'builds' = 'main'): Binding[] {
	return JOURNAL_FOOTER.flatMap((command) => bindings.filter((b) => b.context === context && b.command === command).map((b) => ({...b, inFooter: true})));
}

/** The first binding of `bindings` in `context` that matches the key, or undefined. */
export function findBinding(bindings: readonly Binding[], context: KeyContext, input: string, key: KeyPress): Binding | undefined {
	return bindings.find((b) => b.context === context && b.matches(input, key));
}
