/**
 * What every command module receives, and the small pieces they share: the
 * error guard, the `--json` option, confirmation of destructive actions.
 */
import {createInterface} from 'node:readline/promises';
import type {Command} from 'commander';
import {Left4meError} from '../core/errors.js';
import type {Host} from '../system/host.js';
import {reportError} from './output.js';

/** Handed to each `register…Commands(program, ctx)`. */
export type CliContext = Readonly<{
	/** The host, created on first use (so `--help` never touches it). */
	host: () => Host;
}>;

/** Runs an action, turning a thrown error into one stderr line and the matching exit status. */
export async function guard(json: boolean, action: () => unknown): Promise<void> {
	try {
		await action();
	} catch (error) {
		process.exitCode = reportError(error, json);
	}
}

/** Adds `--json` with the given text. */
export function withJson(command: Command, text = 'print one JSON document on stdout; errors as JSON on stderr'): Command {
	return command.option('--json', text, false);
}

/** Adds worked examples to a command's help. */
export function withExamples(command: Command, examples: readonly string[]): Command {
	return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/**
 * Asks before a destructive action. `yes` skips the question. Without a terminal on
 * stdin and stderr there is nobody to ask: refuses (scripts pass --yes).
 * @throws Left4meError('usage') when refused or answered no
 */
export async function confirm(question: string, yes: boolean, flagHint: string): Promise<void> {
	if (yes) return;
	if (!process.stdin.isTTY || !process.stderr.isTTY) {
		throw new Left4meError('usage', `refusing to ${question} without confirmation: stdin is not a terminal`, `pass --yes, e.g. ${flagHint}`);
	}
	const rl = createInterface({input: process.stdin, output: process.stderr});
	try {
		const answer = await rl.question(`${question}? [y/N] `);
		if (!/^y(es)?$/i.test(answer.trim())) throw new Left4meError('usage', 'cancelled', undefined);
	} finally {
		rl.close();
	}
}
