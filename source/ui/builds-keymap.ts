/**
 * The overlay builds view's rows of the keymap (keymap.ts places them): `B` opens
 * the view, which then has its own context, `builds`. The build journal takes the same
 * keys as the servers view's journal (Tab, /, PgUp/PgDn, g/G, p).
 */
import type {Binding, KeyContext, KeyPress} from './keymap.js';

/** What the builds bindings do; dashboard-state.ts turns each into a `builds/*` action. */
export type BuildsCommand = 'builds-open' | 'builds-close' | 'build' | 'cancel-build';

const ctrlC = (input: string, key: KeyPress) => key.ctrl === true && input === 'c';
const char = (...chars: string[]) => (input: string, key: KeyPress) => key.ctrl !== true && key.meta !== true && chars.includes(input);

/**
 * The journal's scrolling and pause keys (PgUp/PgDn, g/G, p), the same in the servers view
 * and the builds view.
 * @param pauseInFooter whether `p pause` is among the footer hints
 */
export function journalNavigation(context: KeyContext, pauseInFooter: boolean): Binding[] {
	return [
		{command: 'page-up', context, label: 'PgUp', hint: 'scroll', description: 'journal: one page back (stops following)', acts: false, inFooter: false, matches: (_i, k) => k.pageUp === true},
		{command: 'page-down', context, label: 'PgDn', hint: 'scroll', description: 'journal: one page on (follows again at the end)', acts: false, inFooter: false, matches: (_i, k) => k.pageDown === true},
		{command: 'top', context, label: 'g', hint: 'oldest', description: 'journal: the oldest kept line', acts: false, inFooter: false, matches: char('g')},
		{command: 'bottom', context, label: 'G', hint: 'follow', description: 'journal: the newest line, following again', acts: false, inFooter: false, matches: char('G')},
		{command: 'pause', context, label: 'p', hint: 'pause', description: 'journal: pause or resume following (lines are still collected)', acts: false, inFooter: pauseInFooter, matches: char('p')},
	];
}

/** `open` goes in the dashboard's main context; `view` is the builds view's whole context. */
export const BUILDS_BINDINGS: Readonly<{open: Binding; view: readonly Binding[]}> = {
	open: {command: 'builds-open', context: 'main', label: 'B', hint: 'builds', description: 'show the overlays and their builds (build, cancel, journal)', acts: false, inFooter: true, matches: char('B')},
	view: [
		{command: 'up', context: 'builds', label: '↑/k', hint: 'select', description: 'select the previous overlay', acts: false, inFooter: true, matches: (i, k) => k.upArrow === true || char('k')(i, k)},
		{command: 'down', context: 'builds', label: '↓/j', hint: 'select', description: 'select the next overlay', acts: false, inFooter: true, matches: (i, k) => k.downArrow === true || char('j')(i, k)},
		{command: 'build', context: 'builds', label: 'b', hint: 'build', description: "run the overlay's build script in the sandbox (the build outlives the dashboard)", acts: true, inFooter: true, matches: char('b')},
		{command: 'cancel-build', context: 'builds', label: 'c', hint: 'cancel', description: 'cancel the running build; asks first', acts: true, inFooter: true, matches: char('c')},
		{command: 'journal', context: 'builds', label: 'l', hint: 'logs', description: "show or hide the selected overlay's build journal", acts: false, inFooter: true, matches: char('l')},
		{command: 'focus', context: 'builds', label: 'Tab', hint: 'pane', description: 'move the focus between the overlays and the build journal', acts: false, inFooter: true, matches: (_i, k) => k.tab === true},
		{command: 'filter', context: 'builds', label: '/', hint: 'filter', description: 'filter the build journal (matches are highlighted; Enter keeps it, Esc clears it)', acts: false, inFooter: false, matches: char('/')},
		...journalNavigation('builds', false),
		{command: 'builds-close', context: 'builds', label: 'B/Esc', hint: 'servers', description: 'back to the servers', acts: false, inFooter: true, matches: (i, k) => k.escape === true || char('B')(i, k)},
		{command: 'help', context: 'builds', label: '?', hint: 'help', description: 'show the help', acts: false, inFooter: true, matches: char('?')},
		{command: 'quit', context: 'builds', label: 'q/^C', hint: 'quit', description: 'quit the dashboard (builds keep running)', acts: false, inFooter: true, matches: (i, k) => char('q')(i, k) || ctrlC(i, k)},
	],
};
