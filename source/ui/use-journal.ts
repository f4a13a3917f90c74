/**
 * Follows one unit's journal through `left4me-journalctl TARGET --lines N
 * --follow` (last N lines, then new ones). One follower at a time: changing
 * the target stops the old process before the new one starts; unmounting
 * stops it too. Lines go into a fixed-size ring ({@link JournalRing}); the
 * pane is re-rendered at most every {@link PUBLISH_MS}, however fast lines
 * arrive, so keys stay responsive during a flood. When the follower ends by
 * itself without an error (journalctl killed, the journal rotated away), it
 * is started again after {@link RESUME_DELAY_MS} with `--after-cursor` the
 * last cursor seen, so no line is lost or shown twice.
 */
import {useEffect, useState} from 'react';
import {asLeft4meError} from '../core/errors.js';
import {lineSplitter, parseJournalLine} from '../core/journal.js';
import type {Privileged} from '../system/privileged.js';
import type {StreamHandle} from '../system/runner.js';
import type {Notice} from './dashboard-state.js';
import {JOURNAL_BACKLOG, JOURNAL_CAP, JournalRing, type JournalLine} from './journal-buffer.js';

/** What the journal pane shows. */
export type JournalView = Readonly<{
	/** The followed target, or null when nothing is followed. */
	target: string | null;
	/** Lines held, oldest first, at most JOURNAL_CAP. */
	lines: readonly JournalLine[];
	/** Why following failed (the helper's error), or null. */
	error: Notice | null;
	/** How often the follower was started again from the last cursor. */
	resumed?: number;
	/** Lines received since following began (dropped ones included). */
	total?: number;
}>;

/** Longest time between a line's arrival and its render, ms. */
export const PUBLISH_MS = 100;
/** Wait before a follower that ended is started again, ms. */
export const RESUME_DELAY_MS = 1000;

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
		const ring = new JournalRing(cap);
		let stopped = false;
		let resumed = 0;
		let handle: StreamHandle | null = null;
		let publishTimer: NodeJS.Timeout | undefined;
		let resumeTimer: NodeJS.Timeout | undefined;
		const publish = () => {
			publishTimer = undefined;
			if (!stopped) setView({target, lines: ring.toArray(), error: null, resumed, total: ring.total});
		};
		const fail = (error: unknown) => {
			const e = asLeft4meError(error);
			if (!stopped) setView((v) => ({...v, target, error: {tone: 'error', text: e.message, hint: e.hint}}));
		};
		const follow = () => {
			const split = lineSplitter();
			const onChunk = (text: string) => {
				if (stopped) return;
				for (const line of split(text)) {
					const entry = parseJournalLine(line);
					if (entry) ring.push(entry);
				}
				publishTimer ??= setTimeout(publish, PUBLISH_MS);
			};
			const options = ring.lastCursor === null ? {lines: JOURNAL_BACKLOG} : {afterCursor: ring.lastCursor};
			try {
				handle = privileged.followJournal(target, options, onChunk);
			} catch (error) {
				fail(error);
				return;
			}
			handle.done.then(({exitCode, stderr}) => {
				if (stopped) return;
				const error = exitCode === null ? null : privileged.errorOf('left4me-journalctl', exitCode, stderr);
				if (error) return fail(error);
				resumed++;
				resumeTimer = setTimeout(follow, RESUME_DELAY_MS);
			}, fail);
		};
		follow();
		return () => {
			stopped = true;
			clearTimeout(publishTimer);
			clearTimeout(resumeTimer);
			handle?.stop();
		};
	}, [privileged, target, cap]);

	return view.target === target ? view : {...EMPTY, target};
}
