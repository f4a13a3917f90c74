/**
 * Polls the snapshot collector. One collection at a time: the next tick is
 * scheduled when the previous one finishes, so a slow `systemctl show` never
 * piles up. The collector decides when a process is worth spawning; a tick
 * normally reads cgroupfs only.
 */
import {useCallback, useEffect, useRef} from 'react';
import {asLeft4meError} from '../core/errors.js';
import type {ListDocument} from '../core/snapshot.js';
import {displayKey, type Action} from './dashboard-state.js';

/**
 * What the hook needs from a SnapshotCollector (system/host.ts); tests pass a fake.
 * `focus` names the instances on screen (sampled on every refresh, the others less often).
 */
export type Collector = Readonly<{collect: (force?: boolean) => Promise<ListDocument>; focus?: (names: Iterable<string> | null) => void}>;

/**
 * Collects a snapshot now and then every `refreshMs`, dispatching `snapshot`
 * or `snapshot-failed`. Stops on unmount.
 * @returns `refresh()`: collect again now with force (re-read unit state), e.g. after an action
 */
export function useSnapshot(collector: Collector, refreshMs: number, dispatch: (action: Action) => void): () => void {
	const refreshNow = useRef<() => void>(() => {});

	useEffect(() => {
		let live = true;
		let busy = false;
		let forceNext = false;
		let timer: NodeJS.Timeout | undefined;
		// What the last dispatched snapshot showed: one that would draw the same frame is not
		// dispatched at all (a dispatch re-renders the App even when the reducer keeps its state).
		let shown: string | null = null;
		const tick = (force: boolean) => {
			if (busy) {
				forceNext ||= force;
				return;
			}
			clearTimeout(timer);
			busy = true;
			collector
				.collect(force)
				.then(
					(doc) => {
						const key = displayKey(doc);
						if (live && key !== shown) {
							shown = key;
							dispatch({type: 'snapshot', doc});
						}
					},
					(error: unknown) => {
						const e = asLeft4meError(error);
						shown = null;
						if (live) dispatch({type: 'snapshot-failed', text: e.message, hint: e.hint});
					},
				)
				.finally(() => {
					busy = false;
					if (!live) return;
					if (forceNext) {
						forceNext = false;
						tick(true);
					} else timer = setTimeout(() => tick(false), refreshMs);
				});
		};
		refreshNow.current = () => tick(true);
		tick(true);
		return () => {
			live = false;
			clearTimeout(timer);
			refreshNow.current = () => {};
		};
	}, [collector, refreshMs, dispatch]);

	return useCallback(() => refreshNow.current(), []);
}
