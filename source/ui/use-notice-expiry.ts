/**
 * Clears a success or info notice from the footer after a while (`restarted bravo`,
 * `stop bravo cancelled`). An error stays until something replaces it, so an operator
 * who looked away does not miss it. One timer per notice shown, none while the footer
 * has no notice that expires.
 */
import {useEffect} from 'react';
import type {Notice} from './tasks.js';

/** How long a success or info notice (`restarted bravo`, `stop bravo cancelled`) stays in the footer, ms. */
export const OK_NOTICE_MS = 10_000;

/**
 * After `ms`, dispatches `notice-expired` for the notice shown now unless it is an error.
 * The reducer clears it only if it is still the same notice (a newer one stays).
 * @param notice the footer's notice (DashboardState.notice)
 * @param ms how long a success or info notice stays, ms
 */
export function useNoticeExpiry(notice: Notice | null, dispatch: (action: {type: 'notice-expired'; notice: Notice}) => void, ms = OK_NOTICE_MS): void {
	useEffect(() => {
		if (notice === null || notice.tone === 'error') return;
		const timer = setTimeout(() => dispatch({type: 'notice-expired', notice}), ms);
		return () => clearTimeout(timer);
	}, [notice, dispatch, ms]);
}
