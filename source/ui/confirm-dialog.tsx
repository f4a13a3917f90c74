/**
 * The confirmation asked before a destructive action (stop, reset), a restart with players online, a wait
 * for an empty server, and any action on several instances. It names the players online (A2S_INFO).
 */
import {Box, Text} from 'ink';
import {describeNames, playersWarning, type Task} from './tasks.js';
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

/** What follows a yes, as a sentence after the question (and the players warning). */
const CONSEQUENCE: Readonly<Record<Task['operation'], string>> = {
	start: 'They start now and at boot (enable --now).',
	stop: 'Players are disconnected and it stays off after a reboot (disable --now).',
	restart: 'Players are disconnected while it restarts.',
	reset: "The overlay's upper layer (every file the server wrote) is wiped; a running server is stopped for it and started again (players are disconnected), a stopped one stays stopped.",
	'restart-empty': 'It restarts once it reports 0 players (A2S_INFO, up to 30 min); e stops waiting.',
};

/** The dialog's text lines at a given inner width. */
export function confirmLines(task: Task, innerWidth: number): string[] {
	if (task.operation === 'restart-empty' && task.wasRunning === false) {
		return [...wrapText(`restart ${describeNames(task.names)}? It is not running, so it starts at once.`, innerWidth), 'y = yes   n/Esc = no'];
	}
	const what = task.operation === 'restart-empty' ? `restart ${describeNames(task.names)} when empty?` : `${task.operation} ${describeNames(task.names)}?`;
	const warning = playersWarning(task);
	return [...wrapText(`${what} ${warning === '' ? '' : `${warning} `}${CONSEQUENCE[task.operation]}`, innerWidth), 'y = yes   n/Esc = no'];
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
