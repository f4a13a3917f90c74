/**
 * The confirmation asked before a destructive action (stop, restart).
 */
import {Box, Text} from 'ink';
import type {Task} from './dashboard-state.js';
import {wrapText} from './layout.js';
import type {Theme} from './theme.js';

/** Props of {@link ConfirmDialog}. */
export type ConfirmDialogProps = Readonly<{
	/** The action waiting for y/n. */
	task: Task;
	/** Screen columns. */
	width: number;
	theme: Theme;
}>;

const CONSEQUENCE: Readonly<Record<Task['operation'], string>> = {
	start: 'it starts now and at boot.',
	stop: 'players are disconnected and it stays off after a reboot (disable --now).',
	restart: 'players are disconnected while it restarts.',
	'restart-empty': 'waits until it reports 0 players (A2S_INFO, up to 30 min), then restarts; e stops waiting.',
};

/** `3 players online!` when the server reported players (A2S_INFO), else ''. */
export function playersWarning(task: Task): string {
	const n = task.players ?? 0;
	return task.operation !== 'start' && n > 0 ? `${n} player${n === 1 ? '' : 's'} online! ` : '';
}

/** The dialog's text lines at a given inner width. */
export function confirmLines(task: Task, innerWidth: number): string[] {
	const what = task.operation === 'restart-empty' ? `restart ${task.name} when empty?` : `${task.operation} ${task.name}?`;
	const warning = task.operation === 'restart-empty' ? '' : playersWarning(task);
	return [...wrapText(`${what} ${warning}${CONSEQUENCE[task.operation]}`, innerWidth), 'y = yes   n/Esc = no'];
}

/** Lines the dialog takes (border included). */
export function confirmHeight(task: Task, width: number): number {
	return confirmLines(task, width - 4).length + 2;
}

/** Renders the dialog as a bordered box across the screen. */
export function ConfirmDialog({task, width, theme}: ConfirmDialogProps) {
	const lines = confirmLines(task, width - 4);
	return (
		<Box flexDirection="column" width={width} borderStyle="round" borderColor={theme.colour ? 'yellow' : undefined} paddingX={1}>
			{lines.map((line, i) => (
				<Text key={i} {...(i === 0 ? theme.heading : theme.key)}>
					{line}
				</Text>
			))}
		</Box>
	);
}
