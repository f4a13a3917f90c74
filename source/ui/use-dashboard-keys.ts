/**
 * Feeds key presses to the reducer. The reducer maps them through the keymap
 * (keyToAction), so a key always sees the state left by the previous one.
 */
import {useInput, useStdin, type Key} from 'ink';
import {useCallback} from 'react';
import type {Action} from './dashboard-state.js';

/** Listens only when stdin supports raw mode (a TTY); otherwise the dashboard is view-only. */
export function useDashboardKeys(dispatch: (action: Action) => void): void {
	const {isRawModeSupported} = useStdin();
	const onKey = useCallback((input: string, key: Key) => dispatch({type: 'key', input, key}), [dispatch]);
	useInput(onKey, {isActive: isRawModeSupported === true});
}
