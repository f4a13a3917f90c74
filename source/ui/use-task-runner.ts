/**
 * Runs the task the reducer marked as running, through the systemctl helper,
 * and reports the outcome as a `finished` action. Afterwards the snapshot is
 * refreshed with force, so the table shows the new state at once. A
 * `restart-empty` task first polls A2S_INFO until the server reports 0 players
 * (progress as `progress` actions); the wait is aborted when the task stops
 * being the running one.
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {useEffect} from 'react';
import {asLeft4meError, Left4meError} from '../core/errors.js';
import type {GameQuerier} from '../system/a2s.js';
import type {Privileged} from '../system/privileged.js';
import {describeCheck, waitUntilEmpty, WHEN_EMPTY_POLL_MS, WHEN_EMPTY_QUERY_MS} from '../system/when-empty.js';
import {OPERATION_VERBS, type Action, type Task} from './dashboard-state.js';

/** How long the dashboard waits for a server to empty before giving up, ms. */
export const DASHBOARD_WHEN_EMPTY_TIMEOUT_MS = 30 * 60_000;

/**
 * @param task the running task, or null
 * @param refresh forced snapshot refresh (from useSnapshot)
 * @param game A2S_INFO querier for `restart-empty`; absent: such a task fails with a clear line
 * @param pollMs pause between A2S_INFO queries while waiting, ms
 */
export function useTaskRunner(
	task: Task | null,
	privileged: Privileged,
	dispatch: (action: Action) => void,
	refresh: () => void,
	game?: GameQuerier,
	pollMs = WHEN_EMPTY_POLL_MS,
): void {
	useEffect(() => {
		if (!task) return;
		let alive = true;
		const abort = new AbortController();
		const waitFirst = async () => {
			if (task.operation !== 'restart-empty') return;
			const port = task.port;
			if (!game || port === null || port === undefined) throw new Left4meError('failed', `cannot ask ${task.name} for its players (no port or no A2S)`);
			await waitUntilEmpty(
				task.name,
				{
					query: () => game.info(port, WHEN_EMPTY_QUERY_MS),
					now: () => Date.now(),
					sleep: (ms) => sleep(ms, undefined, {signal: abort.signal}),
					onCheck: (info) => alive && dispatch({type: 'progress', task, text: `waiting for ${task.name} to empty: ${describeCheck(info)} (e stops waiting)`}),
				},
				DASHBOARD_WHEN_EMPTY_TIMEOUT_MS,
				pollMs,
			);
		};
		waitFirst()
			.then(() => {
				if (alive) return privileged.systemctl(OPERATION_VERBS[task.operation], task.name);
			})
			.then(
				() => alive && dispatch({type: 'finished', task, error: null}),
				(error: unknown) => {
					const e = asLeft4meError(error);
					if (alive) dispatch({type: 'finished', task, error: {message: e.message, hint: e.hint}});
				},
			)
			.finally(() => alive && refresh());
		return () => {
			alive = false;
			abort.abort();
		};
	}, [task, privileged, dispatch, refresh, game, pollMs]);
}
