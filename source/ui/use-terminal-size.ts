/**
 * The terminal size, updated on resize.
 */
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** Columns and rows of the screen. */
export type Size = Readonly<{columns: number; rows: number}>;

/** Size used when stdout does not report one. */
export const DEFAULT_SIZE: Size = {columns: 80, rows: 24};

/** Tracks stdout's size; `fixed` (tests, screenshots) overrides it. */
export function useTerminalSize(fixed?: Size): Size {
	const {stdout} = useStdout();
	const read = (): Size => fixed ?? {columns: stdout.columns || DEFAULT_SIZE.columns, rows: stdout.rows || DEFAULT_SIZE.rows};
	const [size, setSize] = useState<Size>(read);
	useEffect(() => {
		if (fixed) return;
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fixed]);
	return fixed ?? size;
}
