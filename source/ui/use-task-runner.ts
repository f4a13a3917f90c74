/**
 * Runs the task the reducer marked as running, through the systemctl helper,
 * and reports the outcome as a `finished` action. Afterwards the snapshot is
 * refreshed with force, so the table shows the new state at once.
 */
import {useEffect} from 'react';
import {asLeft4meError} from '../core/errors.js';
import type {Privileged} from '../system/privileged.js';
import {OPERATION_VERBS, type Action, type Task} from './dashboard-state.js';

/**
 * @param task the running task, or null
 * @param refresh forced snapshot refresh (from useSnapshot)
 */
export function useTaskRunner(task: Task | null, privileged: Privileged, dispatch: (action: Action) => void, refresh: () => void): void {
	useEffect(() => {
		if (!task) return;
		let alive = true;
		privileged.systemctl(OPERATION_VERBS[task.operation], task.name).then(
			() => alive && dispatch({type: 'finished', task, error: null}),
			(error: unknown) => {
				const e = asLeft4meError(error);
				if (alive) dispatch({type: 'finished', task, error: {message: e.message, hint: e.hint}});
			},
		).finally(() => alive && refresh());
		return () => {
			alive = false;
		};
	}, [task, privileged, dispatch, refresh]);
}
