/**
 * The dashboard's state and the one action type through which keys, the
 * snapshot poller and finished host actions change it. Pure: no Ink, no I/O.
 * Effects (running systemctl, polling) live in hooks that watch this state.
 */
import type {ListDocument} from '../core/snapshot.js';
import type {SystemctlVerb} from '../system/privileged.js';
import {consoleKey, consoleReply, openConsole, type ConsoleState} from './console-state.js';
import {findBinding, keymapFor, KEYMAP, type KeyContext, type KeyPress} from './keymap.js';

/** An operation on one instance, as the operator names it. */
export type Operation = 'start' | 'stop' | 'restart' | 'restart-empty';

/** The helper verb behind each operation (contract: enable = enable --now, disable = disable --now). */
export const OPERATION_VERBS: Readonly<Record<Operation, SystemctlVerb>> = {start: 'enable', stop: 'disable', restart: 'restart', 'restart-empty': 'restart'};

/** Operations that interrupt players and therefore ask first. */
export const CONFIRMED_OPERATIONS: ReadonlySet<Operation> = new Set(['stop', 'restart', 'restart-empty']);

/** One host action: awaiting confirmation, running, or just finished. `id` tells runs apart. */
export type Task = Readonly<{
	id: number;
	operation: Operation;
	name: string;
	/** Players on the server when the task was asked for (A2S_INFO); null or absent when unknown. */
	players?: number | null;
	/** Game port, for `restart-empty`'s A2S_INFO polling; null or absent when unknown. */
	port?: number | null;
}>;

/** A line for the footer. `hint` is the next step (e.g. the missing sudo rule). */
export type Notice = Readonly<{tone: 'ok' | 'info' | 'error'; text: string; hint?: string}>;

/** Everything the dashboard shows that is not a live stream. */
export type DashboardState = Readonly<{
	readOnly: boolean;
	/** Latest snapshot; null until the first one arrives. */
	doc: ListDocument | null;
	/** Name of the selected instance, or null when there is none. */
	selected: string | null;
	journalOpen: boolean;
	helpOpen: boolean;
	/** The action waiting for y/n. */
	confirming: Task | null;
	/** The action the runner hook is executing. */
	running: Task | null;
	nextId: number;
	/** Result of the last action, or the last refusal or collection error. */
	notice: Notice | null;
	/** Set by the quit key; the app exits when it sees it. */
	quit: boolean;
	/** The RCON console of one instance, when open (it has the keyboard). */
	console: ConsoleState | null;
}>;

/** Everything that can happen to the dashboard. */
export type Action =
	| Readonly<{type: 'key'; input: string; key: KeyPress}>
	| Readonly<{type: 'move'; delta: 1 | -1}>
	| Readonly<{type: 'request'; operation: Operation}>
	| Readonly<{type: 'confirm'}>
	| Readonly<{type: 'cancel'}>
	| Readonly<{type: 'toggle-journal'}>
	| Readonly<{type: 'toggle-help'}>
	| Readonly<{type: 'quit'}>
	| Readonly<{type: 'refuse'; text: string}>
	| Readonly<{type: 'snapshot'; doc: ListDocument}>
	| Readonly<{type: 'snapshot-failed'; text: string; hint?: string}>
	| Readonly<{type: 'finished'; task: Task; error: Readonly<{message: string; hint?: string}> | null}>
	| Readonly<{type: 'progress'; task: Task; text: string}>
	| Readonly<{type: 'open-console'}>
	| Readonly<{type: 'console-history'; name: string; history: readonly string[]}>
	| Readonly<{type: 'console-reply'; name: string; id: number; text: string}>;

/** The state before the first snapshot. The journal pane starts open. */
export function initialState(readOnly: boolean): DashboardState {
	return {readOnly, doc: null, selected: null, journalOpen: true, helpOpen: false, confirming: null, running: null, nextId: 1, notice: null, quit: false, console: null};
}

/** Which keymap context has the keyboard. */
export function contextOf(state: DashboardState): KeyContext {
	return state.confirming ? 'confirm' : state.helpOpen ? 'help' : state.console ? 'console' : 'main';
}

const PAST: Readonly<Record<Operation, string>> = {start: 'started', stop: 'stopped', restart: 'restarted', 'restart-empty': 'restarted (once empty)'};

/**
 * Maps a key press to an action using the keymap. A key bound to a host action
 * in read-only mode gives a `refuse` action; an unbound key gives null.
 */
export function keyToAction(state: DashboardState, input: string, key: KeyPress): Action | null {
	const context = contextOf(state);
	const binding = findBinding(keymapFor(state.readOnly), context, input, key);
	if (!binding) {
		const blocked = state.readOnly ? findBinding(KEYMAP, context, input, key) : undefined;
		return blocked ? {type: 'refuse', text: `read-only mode: ${blocked.hint} is disabled`} : null;
	}
	switch (binding.command) {
		case 'up':
			return {type: 'move', delta: -1};
		case 'down':
			return {type: 'move', delta: 1};
		case 'start':
		case 'stop':
		case 'restart':
		case 'restart-empty':
			return {type: 'request', operation: binding.command};
		case 'journal':
			return {type: 'toggle-journal'};
		case 'console':
			return {type: 'open-console'};
		case 'send':
		case 'history':
			return null;
		case 'help':
		case 'close':
			return {type: 'toggle-help'};
		case 'quit':
			return {type: 'quit'};
		case 'yes':
			return {type: 'confirm'};
		case 'no':
			return {type: 'cancel'};
	}
}

/** The dashboard reducer. Returns the same object when nothing changed, so React skips the render. */
export function reduce(state: DashboardState, action: Action): DashboardState {
	switch (action.type) {
		case 'key': {
			if (state.console && contextOf(state) === 'console') {
				const c = consoleKey(state.console, action.input, action.key);
				if (c === 'quit') return {...state, quit: true};
				return c === 'close' ? {...state, console: null} : c === state.console ? state : {...state, console: c};
			}
			const next = keyToAction(state, action.input, action.key);
			return next ? reduce(state, next) : state;
		}
		case 'move':
			return move(state, action.delta);
		case 'request':
			return request(state, action.operation);
		case 'confirm':
			return state.confirming ? start(state, state.confirming) : state;
		case 'cancel':
			return state.confirming ? {...state, confirming: null, notice: {tone: 'info', text: `${state.confirming.operation} ${state.confirming.name} cancelled`}} : state;
		case 'toggle-journal':
			return {...state, journalOpen: !state.journalOpen};
		case 'toggle-help':
			return {...state, helpOpen: !state.helpOpen};
		case 'quit':
			return {...state, quit: true};
		case 'refuse':
			return {...state, notice: {tone: 'info', text: action.text}};
		case 'snapshot':
			return receive(state, action.doc);
		case 'snapshot-failed':
			if (state.notice?.tone === 'error' && state.notice.text === action.text) return state;
			return {...state, notice: {tone: 'error', text: action.text, hint: action.hint}};
		case 'finished':
			return finish(state, action);
		case 'open-console':
			if (state.readOnly) return {...state, notice: {tone: 'info', text: 'read-only mode: console is disabled'}};
			return state.selected === null ? {...state, notice: {tone: 'info', text: 'no instance selected'}} : {...state, console: openConsole(state.selected)};
		case 'console-history':
			return state.console?.name === action.name ? {...state, console: {...state.console, history: action.history}} : state;
		case 'console-reply':
			return state.console?.name === action.name ? {...state, console: consoleReply(state.console, action.id, action.text)} : state;
		case 'progress':
			return state.running?.id === action.task.id ? {...state, notice: {tone: 'info', text: action.text}} : state;
	}
}

function move(state: DashboardState, delta: 1 | -1): DashboardState {
	const names = state.doc?.instances.map((i) => i.name) ?? [];
	if (names.length === 0) return state;
	const index = state.selected === null ? -1 : names.indexOf(state.selected);
	const next = names[Math.min(names.length - 1, Math.max(0, index + delta))] ?? null;
	return next === state.selected ? state : {...state, selected: next};
}

function request(state: DashboardState, operation: Operation): DashboardState {
	if (state.readOnly) return {...state, notice: {tone: 'info', text: `read-only mode: ${operation} is disabled`}};
	if (state.selected === null) return {...state, notice: {tone: 'info', text: 'no instance selected'}};
	// The same key again stops a wait for an empty server; the runner hook aborts it.
	if (operation === 'restart-empty' && state.running?.operation === 'restart-empty') {
		return {...state, running: null, notice: {tone: 'info', text: `stopped waiting for ${state.running.name} to empty; not restarted`}};
	}
	if (state.running) return {...state, notice: {tone: 'info', text: `busy: ${state.running.operation} ${state.running.name} is still running`}};
	const view = state.doc?.instances.find((i) => i.name === state.selected);
	const task: Task = {id: state.nextId, operation, name: state.selected, players: view?.players ?? null, ...(operation === 'restart-empty' ? {port: view?.port ?? null} : {})};
	const next = {...state, nextId: state.nextId + 1};
	return CONFIRMED_OPERATIONS.has(operation) ? {...next, confirming: task} : start(next, task);
}

function start(state: DashboardState, task: Task): DashboardState {
	return {...state, confirming: null, running: task, notice: {tone: 'info', text: `${task.operation} ${task.name}…`}};
}

function finish(state: DashboardState, action: Extract<Action, {type: 'finished'}>): DashboardState {
	if (state.running?.id !== action.task.id) return state;
	const {task, error} = action;
	const notice: Notice = error ? {tone: 'error', text: error.message, hint: error.hint} : {tone: 'ok', text: `${PAST[task.operation]} ${task.name}`};
	return {...state, running: null, notice};
}

function receive(state: DashboardState, doc: ListDocument): DashboardState {
	const names = doc.instances.map((i) => i.name);
	const selected = state.selected !== null && names.includes(state.selected) ? state.selected : (names[0] ?? null);
	if (state.doc && selected === state.selected && sameSnapshot(state.doc, doc)) return state;
	return {...state, doc, selected};
}

/** True when two snapshots would render the same (the timestamp and interval are not shown). */
export function sameSnapshot(a: ListDocument, b: ListDocument): boolean {
	return JSON.stringify({...a, generatedAt: '', intervalMs: 0}) === JSON.stringify({...b, generatedAt: '', intervalMs: 0});
}
