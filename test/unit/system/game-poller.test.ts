import {describe, expect, it} from 'vitest';
import type {GameInfo} from '../../../source/core/game-info.js';
import type {GameQuerier} from '../../../source/system/a2s.js';
import {GAME_HIDDEN_EVERY_MS, GAME_QUERIES_PER_SECOND, GAME_RETRIES, GAME_SHOWN_QUERIES_PER_SECOND, gameBatchSize, gameRoundEveryMs, GamePoller} from '../../../source/system/game-poller.js';
import {describeCheck, waitUntilEmpty} from '../../../source/system/when-empty.js';
import {Left4meError} from '../../../source/core/errors.js';

/** A querier whose answers the test releases by hand. */
class HeldQuerier implements GameQuerier {
	readonly asked: Array<{port: number; timeoutMs: number; answer: (info: GameInfo | null) => void}> = [];
	info(port: number, timeoutMs: number): Promise<GameInfo | null> {
		return new Promise((answer) => this.asked.push({port, timeoutMs, answer}));
	}
}

const info = (players: number, map = 'c1m1_hotel'): GameInfo => ({players, maxPlayers: 8, map});

/** Answers every query asked so far with 1 player, waits for the batch, and returns the ports asked. */
async function answerAll(q: HeldQuerier, poller: GamePoller): Promise<number[]> {
	const ports = q.asked.map((x) => x.port);
	q.asked.forEach((x) => x.answer(info(1)));
	q.asked.length = 0;
	await poller.settled();
	return ports;
}

describe('GamePoller', () => {
	it('asks every target at once, returns without waiting, and shows answers once they came', async () => {
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		poller.poll(new Map([['a', 27015], ['b', 27016]]));
		expect(q.asked.map((x) => [x.port, x.timeoutMs])).toEqual([[27015, 1500], [27016, 1500]]);
		expect(poller.latest()).toEqual(new Map());
		q.asked[0]!.answer(info(2));
		q.asked[1]!.answer(null);
		await poller.settled();
		expect(poller.latest()).toEqual(new Map([['a', info(2)], ['b', null]]));
	});

	it('starts no round while one runs or before the interval passed (unless forced)', async () => {
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		const targets = new Map([['a', 27015]]);
		poller.poll(targets);
		now = 6000;
		poller.poll(targets);
		expect(q.asked).toHaveLength(1);
		q.asked[0]!.answer(info(1));
		await poller.settled();
		poller.poll(targets);
		expect(q.asked).toHaveLength(2);
		q.asked[1]!.answer(info(1));
		await poller.settled();
		now = 9000;
		poller.poll(targets);
		expect(q.asked).toHaveLength(2);
		poller.poll(targets, true);
		expect(q.asked).toHaveLength(3);
	});

	it('spreads a large fleet\'s queries over time: at most GAME_QUERIES_PER_SECOND a second, asked longest ago first', async () => {
		expect(gameRoundEveryMs(2, 5000)).toBe(5000);
		expect(gameRoundEveryMs(100, 5000)).toBe(Math.ceil((100 / GAME_QUERIES_PER_SECOND) * 1000));
		expect([0, 1, 5, 6, 20, 100].map((n) => gameBatchSize(n, 5000))).toEqual([0, 1, 5, 5, 5, 5]);
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		const fleet = new Map(Array.from({length: 100}, (_, i) => [`srv${i}`, 27000 + i] as const));
		const batch = () => answerAll(q, poller);
		const seen: number[] = [];
		for (; now < 100_000; now += 1000) {
			poller.poll(fleet);
			seen.push(...(await batch()));
		}
		// 5 every 5 s, in the targets' order: each server once in 100 s.
		expect(seen).toEqual(Array.from({length: 100}, (_, i) => 27000 + i));
		expect(seen.length / (now / 1000)).toBeLessThanOrEqual(GAME_QUERIES_PER_SECOND);
		expect(poller.latest().size).toBe(100);
		// The next batch starts over with those asked longest ago.
		poller.poll(fleet);
		expect(await batch()).toEqual([27000, 27001, 27002, 27003, 27004]);
		// A replaced server is asked before everyone else, and a new one too.
		poller.forget(['srv50']);
		const grown = new Map([...fleet, ['srv100', 27100] as const]);
		now += 5000;
		poller.poll(grown);
		expect(await batch()).toEqual([27050, 27100, 27005, 27006, 27007]);
		// Forced (list, a refresh after an action): every server at once.
		poller.poll(grown, true);
		expect(await batch()).toHaveLength(101);
	});

	it('with the rows on screen named, asks those every 30 s (12 rows) and the others every 5 minutes', async () => {
		expect([1, 2, 12, 20].map((n) => gameRoundEveryMs(n, 5000, GAME_SHOWN_QUERIES_PER_SECOND))).toEqual([5000, 5000, 30_000, 50_000]);
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		const fleet = new Map(Array.from({length: 100}, (_, i) => [`srv${i}`, 27000 + i] as const));
		const shown = new Set(Array.from({length: 12}, (_, i) => `srv${40 + i}`));
		const asks = new Map<number, number[]>();
		const batchSizes: number[] = [];
		// Collections every second, some a few ms late, for 20 minutes.
		for (let tick = 0; tick < 1200; tick++) {
			now = tick * 1000 + (tick % 7 === 3 ? 4 : 0);
			poller.poll(fleet, false, shown);
			if (q.asked.length > 0) batchSizes.push(q.asked.length);
			for (const x of q.asked) asks.set(x.port, [...(asks.get(x.port) ?? []), now]);
			q.asked.forEach((x) => x.answer(info(1)));
			q.asked.length = 0;
			await poller.settled();
		}
		// The rows on screen in the first batches, then those never asked; every server within about 2.5 minutes.
		expect(asks.get(27040)![0]).toBe(0);
		expect(asks.get(27051)![0]).toBe(10_004);
		expect(Math.max(...[...asks.values()].map((times) => times[0]!))).toBeLessThan(160_000);
		expect(Math.max(...batchSizes)).toBe(5);
		const gaps = (port: number) => asks.get(port)!.slice(1).map((t, i) => t - asks.get(port)![i]!);
		for (let i = 40; i < 52; i++) for (const gap of gaps(27000 + i)) expect(gap).toBeGreaterThanOrEqual(25_000), expect(gap).toBeLessThanOrEqual(35_004);
		for (const port of [27000, 27039, 27052, 27099]) for (const gap of gaps(port)) expect(gap).toBeGreaterThanOrEqual(295_000), expect(gap).toBeLessThanOrEqual(320_004);
		// 12 rows every 30 s and 88 every 300 s: about 0.69 queries a second instead of 1.
		const total = [...asks.values()].reduce((n, times) => n + times.length, 0);
		expect(total / 1200).toBeGreaterThan(0.6);
		expect(total / 1200).toBeLessThan(0.75);
	});

	it('asks a row scrolled onto the screen in the next batch when its answer is older than a shown row\'s', async () => {
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		const fleet = new Map([['a', 27001], ['b', 27002], ['c', 27003]]);
		const batch = () => answerAll(q, poller);
		poller.poll(fleet, false, new Set(['a']));
		expect(await batch()).toEqual([27001, 27002, 27003]);
		now = 5000;
		poller.poll(fleet, false, new Set(['a']));
		expect(await batch()).toEqual([27001]);
		// c was asked 10 s ago; a row on screen is due after 5 s (one row: 5 s at 0.4 a second).
		now = 10_000;
		poller.poll(fleet, false, new Set(['c']));
		expect(await batch()).toEqual([27003]);
		// Nothing on screen: the off-screen rows wait for their 5 minutes.
		now = 15_000;
		poller.poll(fleet, false, new Set());
		expect(await batch()).toEqual([]);
		now = GAME_HIDDEN_EVERY_MS;
		poller.poll(fleet, false, new Set());
		expect(await batch()).toEqual([27002]);
	});

	it(`asks a server on screen that did not answer again in the next batch, up to GAME_RETRIES (${GAME_RETRIES}) times in a row`, async () => {
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		// 12 rows on screen: each due about every 30 s once it answered.
		const fleet = new Map(Array.from({length: 12}, (_, i) => [`srv${i}`, 27000 + i] as const));
		const shown = new Set(fleet.keys());
		const answers: Record<number, (GameInfo | null)[]> = {};
		const times = new Map<number, number[]>();
		const run = async (until: number) => {
			for (; now < until; now += 1000) {
				poller.poll(fleet, false, shown);
				for (const x of q.asked) {
					times.set(x.port, [...(times.get(x.port) ?? []), now]);
					const scripted = answers[x.port];
					x.answer(scripted && scripted.length > 0 ? scripted.shift()! : info(1));
				}
				q.asked.length = 0;
				await poller.settled();
			}
		};
		await run(100_000);
		times.clear();
		// srv0 restarted: not listening for its first two queries. srv1 goes silent.
		poller.forget(['srv0']);
		answers[27000] = [null, null, ...Array.from({length: 10}, () => info(2))];
		answers[27001] = Array.from({length: 20}, () => null);
		await run(200_000);
		const gaps = (port: number) => times.get(port)!.slice(1).map((t, i) => t - times.get(port)![i]!);
		expect(times.get(27000)![0]).toBeLessThan(105_000);
		expect(gaps(27000).slice(0, 2)).toEqual([5000, 5000]);
		expect(gaps(27000)[2]).toBeGreaterThanOrEqual(25_000);
		expect(poller.latest().get('srv0')).toEqual(info(2));
		// Silent: the first query that got no answer and 3 more 5 s apart, then its turn like the others.
		expect(gaps(27001).slice(0, 3)).toEqual([5000, 5000, 5000]);
		expect(gaps(27001).slice(3).every((gap) => gap >= 25_000)).toBe(true);
		expect(poller.latest().get('srv1')).toBeNull();
		// Answering all along: about every 30 s.
		expect(gaps(27002).every((gap) => gap >= 25_000 && gap <= 35_000)).toBe(true);
	});

	it('asks a server that a forced poll found not listening again at the next batch, not one later', async () => {
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		const fleet = new Map(Array.from({length: 12}, (_, i) => [`srv${i}`, 27000 + i] as const));
		const shown = new Set(fleet.keys());
		const asked: Array<[number, number]> = [];
		const answer = async (silent: number | null) => {
			for (const x of q.asked) (asked.push([now, x.port]), x.answer(x.port === silent ? null : info(1)));
			q.asked.length = 0;
			await poller.settled();
		};
		// Full collections every 5 s; srv0 restarted at 62 s, and the refresh after the action forces a poll.
		for (now = 0; now <= 60_000; now += 5000) (poller.poll(fleet, false, shown), await answer(null));
		now = 62_000;
		poller.forget(['srv0']);
		poller.poll(fleet, true, shown);
		await answer(27000);
		asked.length = 0;
		now = 65_000;
		poller.poll(fleet, false, shown);
		await answer(null);
		expect(asked).toContainEqual([65_000, 27000]);
		expect(poller.latest().get('srv0')).toEqual(info(1));
	});

	it('runs a forced poll that came during a batch once that batch has ended', async () => {
		const q = new HeldQuerier();
		const poller = new GamePoller(q, () => 0, 5000, 1500);
		const targets = new Map([['a', 27015], ['b', 27016]]);
		poller.poll(new Map([['a', 27015]]), true);
		poller.poll(targets, true);
		expect(q.asked.map((x) => x.port)).toEqual([27015]);
		q.asked[0]!.answer(info(1));
		await Promise.resolve();
		await new Promise((resolve) => setImmediate(resolve));
		expect(q.asked.map((x) => x.port)).toEqual([27015, 27015, 27016]);
		q.asked[1]!.answer(info(2));
		q.asked[2]!.answer(info(3));
		await poller.settled();
		expect(poller.latest()).toEqual(new Map([['a', info(2)], ['b', info(3)]]));
	});

	it('drops answers of instances no longer running, or asked on another port', async () => {
		const q = new HeldQuerier();
		const poller = new GamePoller(q, () => 0, 5000, 1500);
		poller.poll(new Map([['a', 27015], ['b', 27016]]));
		q.asked.forEach((x) => x.answer(info(3)));
		await poller.settled();
		poller.poll(new Map([['a', 27099]]));
		expect(poller.latest()).toEqual(new Map());
	});

	it('forgets the answers of replaced servers until they are asked again', async () => {
		const q = new HeldQuerier();
		const poller = new GamePoller(q, () => 0, 5000, 1500);
		poller.poll(new Map([['a', 27015], ['b', 27016]]));
		q.asked.forEach((x) => x.answer(info(3)));
		await poller.settled();
		poller.forget(['a']);
		expect(poller.latest()).toEqual(new Map([['b', info(3)]]));
	});

	it('drops an answer that was on its way when the server was replaced, and keeps the next round\'s', async () => {
		const q = new HeldQuerier();
		let now = 0;
		const poller = new GamePoller(q, () => now, 5000, 1500);
		poller.poll(new Map([['a', 27015]]));
		poller.forget(['a']);
		q.asked[0]!.answer(info(3));
		await poller.settled();
		expect(poller.latest()).toEqual(new Map());
		now = 5000;
		poller.poll(new Map([['a', 27015]]));
		q.asked[1]!.answer(info(0));
		await poller.settled();
		expect(poller.latest()).toEqual(new Map([['a', info(0)]]));
	});
});

describe('waitUntilEmpty', () => {
	function deps(answers: Array<GameInfo | null>) {
		let now = 0;
		const slept: number[] = [];
		const seen: Array<GameInfo | null> = [];
		return {
			slept,
			seen,
			d: {
				query: async () => {
					now += 100;
					return answers.shift() ?? null;
				},
				now: () => now,
				sleep: async (ms: number) => {
					slept.push(ms);
					now += ms;
				},
				onCheck: (i: GameInfo | null) => seen.push(i),
			},
		};
	}

	it('waits while players > 0 and while the server is silent, and returns at the first 0', async () => {
		const {d, slept, seen} = deps([info(3), null, info(1), info(0)]);
		const r = await waitUntilEmpty('a', d, Number.POSITIVE_INFINITY, 2000);
		expect(r).toEqual({waitedMs: 6400, checks: 4});
		expect(slept).toEqual([2000, 2000, 2000]);
		expect(seen).toEqual([info(3), null, info(1), info(0)]);
	});

	it('gives up with a timeout error naming the last answer, never treating silence as empty', async () => {
		const {d} = deps([info(2, 'c2m1_highway'), null, null, null, null]);
		const error = await waitUntilEmpty('a', d, 5000, 2000).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Left4meError);
		expect((error as Left4meError).code).toBe('timeout');
		expect((error as Left4meError).exitCode).toBe(7);
		expect((error as Left4meError).message).toBe('gave up waiting for a to empty after 4s: no answer to A2S_INFO (players unknown); not restarted');
	});

	it('describes a check', () => {
		expect(describeCheck(info(3, 'c5m2_park'))).toBe('3/8 players on c5m2_park');
	});
});
