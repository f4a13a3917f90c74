/**
 * Feeds key presses to the reducer. The reducer maps them through the keymap
 * (keyToAction), so a key always sees the state left by the previous one.
 */
import {useInput, useStdin, type Key} from 'ink';
import {useCallback, type RefObject} from 'react';
import type {Action, JournalNav} from './dashboard-state.js';
import type {KeyPress} from './keymap.js';

const CONTROL: Readonly<Record<string, KeyPress>> = {'\t': {tab: true}, '\r': {return: true}, '\n': {return: true}, '\u007f': {backspace: true}, '\b': {backspace: true}};

/**
 * Splits one input event into single key presses. Ink hands over a run of plain
 * characters that arrived together (fast typing over SSH, tmux send-keys, a
 * paste) as one string, e.g. `\t/map\r`; each character is a key of its own.
 */
export function splitKeys(input: string, key: KeyPress): Array<[string, KeyPress]> {
	const chars = [...input];
	if (chars.length <= 1 || key.ctrl === true || key.meta === true || key.escape === true) return [[input, key]];
	return chars.map((c) => (CONTROL[c] ? ['', CONTROL[c]] : [c, {}]));
}

/**
 * Listens only when stdin supports raw mode (a TTY); otherwise the dashboard is view-only.
 * @param nav the journal's lines and pane height at the moment of the key (for scrolling)
 */
export function useDashboardKeys(dispatch: (action: Action) => void, nav?: RefObject<JournalNav>): void {
	const {isRawModeSupported} = useStdin();
	const onKey = useCallback(
		(input: string, key: Key) => {
			for (const [i, k] of splitKeys(input, key)) dispatch({type: 'key', input: i, key: k, nav: nav?.current});
		},
		[dispatch, nav],
	);
	useInput(onKey, {isActive: isRawModeSupported === true});
}
