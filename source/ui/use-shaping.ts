/**
 * The shaping state for the header: `left4me-apply-cake show` once at start and then
 * every {@link SHAPING_REFRESH_MS} (a helper process, so never per refresh tick).
 */
import {useEffect, useState} from 'react';
import {shapingSummary} from '../core/shaping.js';
import type {Privileged} from '../system/privileged.js';
import {readShaping} from '../system/shaping.js';

/**
 * How often the qdisc state is read again, ms. The qdisc changes only when an operator runs
 * `l4d2ctl shaping apply` or `clear` (or tc); a read is a sudo and a helper process, whose
 * start alone costs the dashboard 10 to 20 ms of CPU (the fork of a process of about 100 MiB).
 */
export const SHAPING_REFRESH_MS = 300_000;

/**
 * @returns `cake 100Mbit on eth0`, `no cake`, `shaping ?` when the helper failed, or null before the first answer
 */
export function useShaping(privileged: Privileged, refreshMs = SHAPING_REFRESH_MS): string | null {
	const [summary, setSummary] = useState<string | null>(null);
	useEffect(() => {
		let live = true;
		let timer: NodeJS.Timeout | undefined;
		const read = () => {
			readShaping(privileged).then(
				(interfaces) => live && setSummary(shapingSummary(interfaces)),
				() => live && setSummary('shaping ?'),
			).finally(() => {
				if (live) timer = setTimeout(read, refreshMs);
			});
		};
		read();
		return () => {
			live = false;
			clearTimeout(timer);
		};
	}, [privileged, refreshMs]);
	return summary;
}
