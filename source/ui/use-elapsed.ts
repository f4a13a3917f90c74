/**
 * Seconds since a value last changed to non-null, ticking twice a second only
 * while it is non-null (the dashboard shows a running action's progress; an idle
 * dashboard keeps no timer).
 */
import {useEffect, useState} from 'react';

/** @returns elapsed time in ms since `running` became non-null, or 0 */
export function useElapsed(running: unknown, clock: () => number = Date.now): number {
	const [elapsed, setElapsed] = useState(0);
	useEffect(() => {
		setElapsed(0);
		if (running === null) return;
		const started = clock();
		const timer = setInterval(() => setElapsed(clock() - started), 500);
		return () => clearInterval(timer);
	}, [running, clock]);
	return running === null ? 0 : elapsed;
}
