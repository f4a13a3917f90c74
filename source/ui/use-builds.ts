/**
 * The builds view's effects: refreshing the builds document while the view is
 * open (files and cgroupfs only, no process: Builds.snapshot), and running the
 * build or cancel the reducer marked as running (through left4me-script-sandbox).
 */
import {useCallback, useEffect, useRef} from 'react';
import {asLeft4meError} from '../core/errors.js';
import type {Builds} from '../system/builds.js';
import type {BuildsAction, BuildTask} from './builds-state.js';

/** What the hooks need from {@link Builds}; tests pass a fake. */
export type BuildsSource = Pick<Builds, 'snapshot' | 'start' | 'cancel'>;

/**
 * Dispatches `builds/doc` now and every `refreshMs` while `open`; also right after
 * the returned `refresh()` is called.
 */
export function useBuildsSnapshot(source: BuildsSource, open: boolean, refreshMs: number, dispatch: (action: BuildsAction) => void): () => void {
	const refreshNow = useRef<() => void>(() => {});
	useEffect(() => {
		if (!open) return;
		let timer: NodeJS.Timeout | undefined;
		const tick = () => {
			clearTimeout(timer);
			try {
				dispatch({type: 'builds/doc', doc: source.snapshot()});
			} catch {
				// a half-written result or a vanished directory: the next tick reads again
			}
			timer = setTimeout(tick, refreshMs);
		};
		refreshNow.current = tick;
		tick();
		return () => {
			clearTimeout(timer);
			refreshNow.current = () => {};
		};
	}, [source, open, refreshMs, dispatch]);
	return useCallback(() => refreshNow.current(), []);
}

/** Runs `task` (build: start the unit and return; cancel: stop it) and reports `builds/finished`. */
export function useBuildRunner(task: BuildTask | null, source: BuildsSource, dispatch: (action: BuildsAction) => void, refresh: () => void): void {
	useEffect(() => {
		if (!task) return;
		let alive = true;
		const work = task.operation === 'build' ? source.start(task.overlay) : source.cancel(task.overlay);
		work
			.then(
				() => alive && dispatch({type: 'builds/finished', task, error: null}),
				(error: unknown) => {
					const e = asLeft4meError(error);
					if (alive) dispatch({type: 'builds/finished', task, error: {message: e.message, hint: e.hint}});
				},
			)
			.finally(() => alive && refresh());
		return () => {
			alive = false;
		};
	}, [task, source, dispatch, refresh]);
}
