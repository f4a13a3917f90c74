/**
 * State of the dashboard's overlay builds view and its reducer. Pure: no Ink, no
 * I/O. dashboard-state.ts holds this under `builds` and hands it every `builds/*`
 * action; the hooks in use-builds.ts do the work.
 */
import {describeResult, type BuildsDocument} from '../core/build-result.js';
import type {Notice} from './dashboard-state.js';

/** What the operator asked of one overlay. */
export type BuildOperation = 'build' | 'cancel';

/** One build action: awaiting confirmation, running, or just finished. `id` tells runs apart. */
export type BuildTask = Readonly<{id: number; operation: BuildOperation; overlay: string}>;

/** The builds view. */
export type BuildsState = Readonly<{
	/** The view replaces the instance table while open. */
	open: boolean;
	/** Latest builds document; null until the first one arrives. */
	doc: BuildsDocument | null;
	/** Selected overlay, or null when there is none. */
	selected: string | null;
	confirming: BuildTask | null;
	running: BuildTask | null;
	nextId: number;
}>;

/** Everything that can happen to the builds view. */
export type BuildsAction =
	| Readonly<{type: 'builds/open'}>
	| Readonly<{type: 'builds/close'}>
	| Readonly<{type: 'builds/move'; delta: 1 | -1}>
	| Readonly<{type: 'builds/request'; operation: BuildOperation}>
	| Readonly<{type: 'builds/confirm'}>
	| Readonly<{type: 'builds/decline'}>
	| Readonly<{type: 'builds/doc'; doc: BuildsDocument}>
	| Readonly<{type: 'builds/finished'; task: BuildTask; error: Readonly<{message: string; hint?: string}> | null}>;

/** The view before it was ever opened. */
export const INITIAL_BUILDS: BuildsState = {open: false, doc: null, selected: null, confirming: null, running: null, nextId: 1};

/** True for the actions {@link reduceBuilds} handles. */
export function isBuildsAction(action: Readonly<{type: string}>): action is BuildsAction {
	return action.type.startsWith('builds/');
}

/** The new view state and, when the operator should hear about it, a footer notice. */
export type BuildsStep = Readonly<{builds: BuildsState; notice?: Notice}>;

/**
 * The builds reducer. Returns the same `builds` object when nothing changed.
 * @param readOnly wall-dashboard mode: build and cancel are refused
 */
export function reduceBuilds(state: BuildsState, action: BuildsAction, readOnly: boolean): BuildsStep {
	switch (action.type) {
		case 'builds/open':
			return {builds: state.open ? state : {...state, open: true}};
		case 'builds/close':
			return {builds: state.open ? {...state, open: false, confirming: null} : state};
		case 'builds/move':
			return {builds: move(state, action.delta)};
		case 'builds/request':
			return request(state, action.operation, readOnly);
		case 'builds/confirm':
			return state.confirming ? run(state, state.confirming) : {builds: state};
		case 'builds/decline':
			return state.confirming ? {builds: {...state, confirming: null}, notice: {tone: 'info', text: `cancel of the ${state.confirming.overlay} build not sent`}} : {builds: state};
		case 'builds/doc':
			return {builds: receive(state, action.doc), notice: announce(state.doc, action.doc)};
		case 'builds/finished':
			return finish(state, action);
	}
}

function move(state: BuildsState, delta: 1 | -1): BuildsState {
	const names = state.doc?.overlays.map((o) => o.overlay) ?? [];
	if (names.length === 0) return state;
	const index = state.selected === null ? -1 : names.indexOf(state.selected);
	const next = names[Math.min(names.length - 1, Math.max(0, index + delta))] ?? null;
	return next === state.selected ? state : {...state, selected: next};
}

function request(state: BuildsState, operation: BuildOperation, readOnly: boolean): BuildsStep {
	const word = operation === 'build' ? 'build' : 'cancel';
	if (readOnly) return {builds: state, notice: {tone: 'info', text: `read-only mode: ${word} is disabled`}};
	const overlay = state.selected;
	if (overlay === null) return {builds: state, notice: {tone: 'info', text: 'no overlay selected'}};
	if (state.running) return {builds: state, notice: {tone: 'info', text: `busy: ${state.running.operation} ${state.running.overlay} is still running`}};
	const view = state.doc?.overlays.find((o) => o.overlay === overlay);
	if (operation === 'cancel' && view?.state !== 'building') return {builds: state, notice: {tone: 'info', text: `${overlay} is not building`}};
	if (operation === 'build' && view?.state === 'building') return {builds: state, notice: {tone: 'info', text: `${overlay} is already building; c cancels it`}};
	const task: BuildTask = {id: state.nextId, operation, overlay};
	const next = {...state, nextId: state.nextId + 1};
	return operation === 'cancel' ? {builds: {...next, confirming: task}} : run(next, task);
}

function run(state: BuildsState, task: BuildTask): BuildsStep {
	return {builds: {...state, confirming: null, running: task}, notice: {tone: 'info', text: `${task.operation} ${task.overlay}…`}};
}

function finish(state: BuildsState, action: Extract<BuildsAction, {type: 'builds/finished'}>): BuildsStep {
	if (state.running?.id !== action.task.id) return {builds: state};
	const {task, error} = action;
	const text = task.operation === 'build' ? `started the ${task.overlay} build (it keeps running if the dashboard exits)` : `cancelled the ${task.overlay} build`;
	return {builds: {...state, running: null}, notice: error ? {tone: 'error', text: error.message, hint: error.hint} : {tone: 'ok', text}};
}

function receive(state: BuildsState, doc: BuildsDocument): BuildsState {
	const names = doc.overlays.map((o) => o.overlay);
	const selected = state.selected !== null && names.includes(state.selected) ? state.selected : (names[0] ?? null);
	if (state.doc && selected === state.selected && JSON.stringify({...state.doc, generatedAt: ''}) === JSON.stringify({...doc, generatedAt: ''})) return state;
	return {...state, doc, selected};
}

/** A notice when a build that was running has finished since the previous document. */
function announce(before: BuildsDocument | null, after: BuildsDocument): Notice | undefined {
	if (!before) return undefined;
	for (const o of after.overlays) {
		const was = before.overlays.find((b) => b.overlay === o.overlay);
		if (was?.state === 'building' && o.state === 'idle' && o.lastResult) {
			const words = describeResult(o.lastResult);
			return {tone: words === 'ok' ? 'ok' : 'error', text: `build ${o.overlay}: ${words}`};
		}
	}
	return undefined;
}
