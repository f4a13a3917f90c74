/**
 * Effects of the RCON console: loads the instance's history when the console opens,
 * sends each pending command over one RCON session (opened on first use, reopened
 * after a failure, closed with the console), feeds replies back and saves history.
 */
import {useEffect, useRef} from 'react';
import {asLeft4meError} from '../core/errors.js';
import type {Host} from '../system/host.js';
import {loadHistory, saveHistory} from '../system/console-history-store.js';
import {openRcon, readRconPassword, type RconSession} from '../system/rcon.js';
import type {ConsoleState} from './console-state.js';
import type {Action} from './dashboard-state.js';

/** How the console reaches a server; tests pass a fake. */
export type ConsoleDeps = Readonly<{
	connect: (name: string) => Promise<RconSession>;
	load: (name: string) => string[];
	save: (name: string, history: readonly string[]) => void;
}>;

/** The real dependencies: RCON on 127.0.0.1:PORT with the instance's rcon_password, history under STATE. */
export function consoleDeps(host: Host): ConsoleDeps {
	return {
		connect: async (name) => openRcon({port: host.instances.read(name).port, password: readRconPassword(host.paths, name)}),
		load: (name) => loadHistory(host.paths, name),
		save: (name, history) => saveHistory(host.paths, name, history),
	};
}

/**
 * Runs the console's effects.
 * @param c the open console, or null (closing it closes the RCON session)
 * @param deps how to connect and where history lives
 */
export function useConsole(c: ConsoleState | null, deps: ConsoleDeps, dispatch: (action: Action) => void): void {
	const session = useRef<{name: string; session: Promise<RconSession>} | null>(null);
	const name = c?.name ?? null;

	useEffect(() => {
		if (name === null) return;
		dispatch({type: 'console-history', name, history: deps.load(name)});
		return () => {
			const open = session.current;
			session.current = null;
			open?.session.then((s) => s.close(), () => undefined);
		};
	}, [name, deps, dispatch]);

	const pending = c?.pending ?? null;
	const history = c?.history;
	useEffect(() => {
		if (name === null || pending === null) return;
		if (history) deps.save(name, history);
		if (session.current?.name !== name) session.current = {name, session: deps.connect(name)};
		const current = session.current;
		current.session
			.then((s) => s.command(pending.command))
			.then(
				(text) => dispatch({type: 'console-reply', name, id: pending.id, text}),
				(error: unknown) => {
					const e = asLeft4meError(error);
					if (session.current === current) session.current = null;
					current.session.then((s) => s.close(), () => undefined);
					// The hint on a line of its own: the pane cuts long lines at its edge.
					dispatch({type: 'console-reply', name, id: pending.id, text: `! ${e.message}${e.hint ? `\n! hint: ${e.hint}` : ''}`});
				},
			);
		// `history` is left out on purpose: it changes together with `pending`, and only a
		// new pending command may send.
	}, [name, pending, deps, dispatch]);
}
