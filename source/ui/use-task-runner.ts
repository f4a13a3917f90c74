/**
 * Runs the task the reducer marked as running, through the helpers, one
 * instance after the other, reporting progress and then the outcome (every
 * failure with its exact error) as actions. Afterwards the snapshot is
 * refreshed with force, so the table shows the new state at once.
 */
import {useEffect} from 'react';
import {asLeft4meError} from '../core/errors.js';
import type {Privileged} from '../system/privileged.js';
import {resetInstance} from '../system/reset.js';
import {OPERATION_VERBS, type Action, type Failure, type Task} from './dashboard-state.js';

/** Runs one operation on one instance. @throws Left4meError */
export function runOperation(privileged: Privileged, operation: Task['operation'], name: string): Promise<void> {
	return operation === 'reset' ? resetInstance(privileged, name) : privileged.systemctl(OPERATION_VERBS[operation], name);
}

/**
 * @param task the running task, or null
 * @param refresh forced snapshot refresh (from useSnapshot)
 */
export function useTaskRunner(task: Task | null, privileged: Privileged, dispatch: (action: Action) => void, refresh: () => void): void {
	useEffect(() => {
		if (!task) return;
		let alive = true;
		void (async () => {
			const failures: Failure[] = [];
			for (const [index, name] of task.names.entries()) {
				try {
					await runOperation(privileged, task.operation, name);
				} catch (error) {
					const e = asLeft4meError(error);
					failures.push({name, message: e.message, hint: e.hint});
				}
				if (!alive) return;
				dispatch({type: 'progress', task, done: index + 1});
			}
			dispatch({type: 'finished', task, failures});
			refresh();
		})();
		return () => {
			alive = false;
		};
	}, [task, privileged, dispatch, refresh]);
}
