/**
 * Host actions in the dashboard's state: which ask first, how a request becomes
 * a task, and how progress and results become the footer notice. Pure.
 */
import {isRunningState} from '../core/snapshot.js';
import type {SystemctlVerb} from '../system/privileged.js';
import type {DashboardState, Failure} from './dashboard-state.js';

/** An operation on instances, as the operator names it. `restart-empty` restarts once A2S_INFO reports 0 players. */
export type Operation = 'start' | 'stop' | 'restart' | 'reset' | 'restart-empty';

/** The helper verb behind each one-step operation (contract: enable = enable --now, disable = disable --now). */
export const OPERATION_VERBS: Readonly<Record<Exclude<Operation, 'reset'>, SystemctlVerb>> = {start: 'enable', stop: 'disable', restart: 'restart', 'restart-empty': 'restart'};

/**
 * Operations that are destructive or wait and therefore always ask first; any operation on several
 * instances asks too, and so does a restart while players are online.
 */
export const CONFIRMED_OPERATIONS: ReadonlySet<Operation> = new Set(['stop', 'reset', 'restart-empty']);

/** One host action on one or more instances: awaiting confirmation, running, or just finished. `id` tells runs apart. */
export type Task = Readonly<{
	id: number;
	operation: Operation;
	names: readonly string[];
	/** Players online on those instances when the task was asked for (A2S_INFO; unknown counts 0). */
	players?: number;
	/** Game port of the one instance of a `restart-empty` task, for its A2S_INFO queries; null when unknown. */
	port?: number | null;
	/** For `restart-empty`: false when the instance was not running, so it restarts at once (as `restart --when-empty`). */
	wasRunning?: boolean;
}>;

/** A line for the footer. `hint` is the next step (e.g. the missing sudo rule). */
export type Notice = Readonly<{tone: 'ok' | 'info' | 'error'; text: string; hint?: string}>;

const PAST: Readonly<Record<Operation, string>> = {start: 'started', stop: 'stopped', restart: 'restarted', reset: 'reset', 'restart-empty': 'restarted'};

/** `3 players online!` when the task's instances reported players (A2S_INFO), else ''. */
export function playersWarning(task: Task): string {
	const n = task.players ?? 0;
	return task.operation === 'start' || n <= 0 ? '' : `${n} player${n === 1 ? '' : 's'} online!`;
}

/** The instances a task names, as one phrase: `alpha` or `3 instances (alpha, bravo, charlie)`. */
export function describeNames(names: readonly string[]): string {
	return names.length === 1 ? names[0]! : `${names.length} instances (${names.join(', ')})`;
}

/**
 * Turns a request into a task: on the marked instances (those still shown), else on the selected one.
 * @param shown names of the rows the table shows, in order
 */
export function request(state: DashboardState, operation: Operation, shown: readonly string[]): DashboardState {
	if (state.readOnly) return {...state, notice: {tone: 'info', text: `read-only mode: ${operation} is disabled`}};
	// The same key again stops a wait for an empty server; the runner hook aborts the wait.
	if (operation === 'restart-empty' && state.running?.operation === 'restart-empty') {
		return {...state, running: null, progressText: null, notice: {tone: 'info', text: `stopped waiting for ${describeNames(state.running.names)} to empty; not restarted`}};
	}
	// Waiting for an empty server is for one instance: the selected one, marks aside.
	const names =
		operation !== 'restart-empty' && state.marked.size > 0 ? shown.filter((n) => state.marked.has(n)) : state.selected === null ? [] : [state.selected];
	if (names.length === 0) return {...state, notice: {tone: 'info', text: 'no instance selected'}};
	if (state.running) return {...state, notice: {tone: 'info', text: `busy: ${state.running.operation} ${describeNames(state.running.names)} is still running`}};
	const views = names.map((n) => state.doc?.instances.find((i) => i.name === n));
	const players = views.reduce((sum, v) => sum + (v?.players ?? 0), 0);
	const task: Task = {
		id: state.nextId,
		operation,
		names,
		players,
		...(operation === 'restart-empty' ? {port: views[0]?.port ?? null, wasRunning: isRunningState(views[0]?.state ?? '', views[0]?.subState)} : {}),
	};
	const next = {...state, nextId: state.nextId + 1};
	// The dialog replaces the last notice: it would otherwise stay under it, about something else.
	if (CONFIRMED_OPERATIONS.has(operation) || names.length > 1 || (operation === 'restart' && players > 0)) return {...next, confirming: task, notice: null};
	return {...next, running: task, done: 0, progressText: null, notice: null};
}

/** Records that `done` of the running task's instances are finished; `text` replaces the progress line (a wait's last check). */
export function progress(state: DashboardState, task: Task, done: number, text?: string): DashboardState {
	if (state.running?.id !== task.id) return state;
	const progressText = text ?? state.progressText;
	return state.done === done && progressText === state.progressText ? state : {...state, done, progressText};
}

/** Ends the running task: the result, or every failure with its exact error. Marks are cleared after a bulk action. */
export function finish(state: DashboardState, task: Task, failures: readonly Failure[]): DashboardState {
	if (state.running?.id !== task.id) return state;
	const marked = task.names.length > 1 ? new Set<string>() : state.marked;
	if (failures.length === 0) return {...state, running: null, progressText: null, marked, notice: {tone: 'ok', text: `${PAST[task.operation]} ${describeNames(task.names)}${task.operation !== 'restart-empty' ? '' : task.wasRunning === false ? ' at once: it was not running' : ' once empty'}`}};
	const first = failures[0]!;
	const text =
		task.names.length === 1
			? first.message
			: `${task.operation}: ${failures.length} of ${task.names.length} failed; ${failures.map((f) => `${f.name}: ${f.message}`).join('; ')}`;
	// left4me-systemctl names the CLI's way out of a start limit; the dashboard's is W.
	const limited = failures.find((f) => START_LIMIT.test(f.message));
	const hint = limited ? `s works once its start limit interval has passed; W resets ${limited.name} now, wiping its upper layer` : first.hint;
	return {...state, running: null, progressText: null, marked, notice: {tone: 'error', text, hint}};
}

/** How left4me-systemctl says a unit's start limit refused a start (helpers/left4me-systemctl). */
const START_LIMIT = /the start limit keeps it down/;
