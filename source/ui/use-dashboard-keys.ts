/**
 * Feeds key presses to the reducer. The reducer maps them through the keymap
 * (keyToAction), so a key always sees the state left by the previous one.
 */
import {useInput, useStdin, type Key} from 'ink';
import {useCallback, type RefObject} from 'react';
import type {Action, JournalNav} from './dashboard-state.js';

/**
 * Listens only when stdin supports raw mode (a TTY); otherwise the dashboard is view-only.
 * @param nav the journal's lines and pane height at the moment of the key (for scrolling)
 */
export function useDashboardKeys(dispatch: (action: Action) => void, nav?: RefObject<JournalNav>): void {
	const {isRawModeSupported} = useStdin();
	const onKey = useCallback((input: string, key: Key) => dispatch({type: 'key', input, key, nav: nav?.current}), [dispatch, nav]);
	useInput(onKey, {isActive: isRawModeSupported === true});
}
