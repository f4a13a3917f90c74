/**
 * Polls the snapshot collector. One collection at a time: the next tick is
 * scheduled when the previous one finishes, so a slow `systemctl show` never
 * piles up. The collector decides when a process is worth spawning; a tick
 * normally reads cgroupfs only.
 */
import {useCallback, useEffect, useRef} from 'react';
import {asLeft4meError} from '../core/errors.js';
import type {ListDocument} from '../core/snapshot.js';
import type {Action} from './dashboard-state.js';

/** What the hook needs from a SnapshotCollector (system/host.ts); tests pass a fake. */
export type Collector = Readonly<{collect: (force?: boolean) => Promise<ListDocument>}>;

/**
 * Collects a snapshot now and then every `refreshMs`, dispatching `snapshot`
 * or `snapshot-failed`. Stops on unmount.
 * @returns `refresh()`: collect again now with force (re-read unit state), e.g. after an action
 */
export function useSnapshot(collector: Collector, refreshMs: number, dispatch: (action: Action) => void): () => void {
	const timer = useRef<NodeJS.Timeout | undefined>(undefined);
	const busy = useRef(false);
	const forceNext = useRef(false);
	const alive = useRef(true);

	const tick = useCallback(
		(force: boolean) => {
			if (busy.current) {
				forceNext.current ||= force;
				return;
			}
			clearTimeout(timer.current);
			busy.current = true;
			collector
				.collect(force)
				.then(
					(doc) => alive.current && dispatch({type: 'snapshot', doc}),
					(error: unknown) => {
						const e = asLeft4meError(error);
						if (alive.current) dispatch({type: 'snapshot-failed', text: e.message, hint: e.hint});
					},
				)
				.finally(() => {
					busy.current = false;
					if (!alive.current) return;
					const again = forceNext.current;
					forceNext.current = false;
					if (again) tick(true);
					else timer.current = setTimeout(() => tick(false), refreshMs);
				});
		},
		[collector, refreshMs, dispatch],
	);

	useEffect(() => {
		alive.current = true;
		tick(true);
		return () => {
			alive.current = false;
			clearTimeout(timer.current);
		};
	}, [tick]);

	return useCallback(() => tick(true), [tick]);
}
