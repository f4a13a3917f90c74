/**
 * Runs the task the reducer marked as running, through the helpers, one
 * instance after the other, reporting progress and then the outcome (every
 * failure with its exact error) as actions. Afterwards the snapshot is
 * refreshed with force, so the table shows the new state at once. A
 * `restart-empty` task first polls A2S_INFO (system/when-empty.ts) until the
 * server reports 0 players, each answer shown as progress; the wait is
 * aborted when the task stops being the running one (`e` again).
 */
import {setTimeout as sleep} from 'node:timers/promises';
import {useEffect} from 'react';
import {asLeft4meError, Left4meError} from '../core/errors.js';
import type {GameQuerier} from '../system/a2s.js';
import {resetInstance, type ResetHost} from '../system/reset.js';
import {describeCheck, waitUntilEmpty, WHEN_EMPTY_POLL_MS, WHEN_EMPTY_QUERY_MS} from '../system/when-empty.js';
import {OPERATION_VERBS, type Action, type Failure, type Task} from './dashboard-state.js';

/** How long the dashboard waits for a server to empty before giving up, ms. */
export const DASHBOARD_WHEN_EMPTY_TIMEOUT_MS = 30 * 60_000;

/**
 * Runs one operation on one instance (a `restart-empty` after its wait). A reset is
 * `l4d2ctl reset`'s (system/reset.ts): the boot setting stays, and only a running server is
 * started again.
 * @throws Left4meError
 */
export async function runOperation(host: ResetHost, task: Pick<Task, 'operation'>, name: string): Promise<void> {
	if (task.operation === 'reset') await resetInstance(host, name);
	else await host.privileged.systemctl(OPERATION_VERBS[task.operation], name);
}

/** What a `restart-empty` wait needs besides the task. */
export type WaitOptions = Readonly<{
	/** A2S_INFO querier; absent: such a task fails with a clear line. */
	game?: GameQuerier;
	/** Pause between queries, ms. */
	pollMs?: number;
	/** Give up after this long, ms. */
	timeoutMs?: number;
}>;

/**
 * @param task the running task, or null
 * @param refresh forced snapshot refresh (from useSnapshot)
 * @param wait the A2S_INFO querier and timings for `restart-empty`
 */
export function useTaskRunner(task: Task | null, host: ResetHost, dispatch: (action: Action) => void, refresh: () => void, wait: WaitOptions = {}): void {
	const {game, pollMs = WHEN_EMPTY_POLL_MS, timeoutMs = DASHBOARD_WHEN_EMPTY_TIMEOUT_MS} = wait;
	useEffect(() => {
		if (!task) return;
		let alive = true;
		const abort = new AbortController();
		const waitUntilEmptyFirst = async (name: string) => {
			if (task.operation !== 'restart-empty' || task.wasRunning === false) return;
			const port = task.port;
			if (!game || port === null || port === undefined) throw new Left4meError('failed', `cannot ask ${name} for its players (no port or no A2S_INFO)`);
			await waitUntilEmpty(
				name,
				{
					query: () => game.info(port, WHEN_EMPTY_QUERY_MS),
					now: () => Date.now(),
					sleep: (ms) => sleep(ms, undefined, {signal: abort.signal}),
					onCheck: (info) => {
						if (alive) dispatch({type: 'progress', task, done: 0, text: `waiting for ${name} to empty: ${describeCheck(info)} (e stops waiting)`});
					},
				},
				timeoutMs,
				pollMs,
			);
		};
		void (async () => {
			const failures: Failure[] = [];
			for (const [index, name] of task.names.entries()) {
				try {
					await waitUntilEmptyFirst(name);
					if (!alive) return;
					await runOperation(host, task, name);
				} catch (error) {
					if (!alive) return;
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
			abort.abort();
		};
	}, [task, host, dispatch, refresh, game, pollMs, timeoutMs]);
}
