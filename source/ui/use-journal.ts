/**
 * Follows one instance's journal through `left4me-journalctl TARGET --lines N
 * --follow` (last N lines, then new ones). One follower at a time: changing
 * the target stops the old process before the new one starts; unmounting
 * stops it too.
 */
import {useEffect, useState} from 'react';
import {parseJournalLine, lineSplitter, type JournalEntry} from '../core/journal.js';
import {asLeft4meError} from '../core/errors.js';
import type {Privileged} from '../system/privileged.js';
import {appendBounded, JOURNAL_BACKLOG, JOURNAL_CAP} from './journal-buffer.js';
import type {Notice} from './dashboard-state.js';

/** What the journal pane shows. */
export type JournalView = Readonly<{
	/** The followed target, or null when nothing is followed. */
	target: string | null;
	/** Newest last, at most JOURNAL_CAP. */
	lines: readonly JournalEntry[];
	/** Why following failed (the helper's error), or null. */
	error: Notice | null;
}>;

const EMPTY: JournalView = {target: null, lines: [], error: null};

/**
 * @param target instance name, `build:OVERLAY`, or null to follow nothing
 * @param cap most lines kept
 */
export function useJournal(privileged: Privileged, target: string | null, cap = JOURNAL_CAP): JournalView {
	const [view, setView] = useState<JournalView>(EMPTY);

	useEffect(() => {
		setView({target, lines: [], error: null});
		if (target === null) return;
		let stopped = false;
		const split = lineSplitter();
		const onChunk = (text: string) => {
			if (stopped) return;
			const added = split(text).map(parseJournalLine).filter((e): e is JournalEntry => e !== null);
			if (added.length > 0) setView((v) => (v.target === target ? {...v, lines: appendBounded(v.lines, added, cap)} : v));
		};
		const fail = (error: unknown) => {
			const e = asLeft4meError(error);
			if (!stopped) setView((v) => (v.target === target ? {...v, error: {tone: 'error', text: e.message, hint: e.hint}} : v));
		};
		let handle: ReturnType<Privileged['followJournal']>;
		try {
			handle = privileged.followJournal(target, {lines: JOURNAL_BACKLOG}, onChunk);
		} catch (error) {
			fail(error);
			return;
		}
		handle.done.then(({exitCode, stderr}) => {
			const error = privileged.errorOf('left4me-journalctl', exitCode, stderr);
			if (error) fail(error);
		}, fail);
		return () => {
			stopped = true;
			handle.stop();
		};
	}, [privileged, target, cap]);

	return view.target === target ? view : {...EMPTY, target};
}
