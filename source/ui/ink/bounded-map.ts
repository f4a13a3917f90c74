/**
 * A map with a fixed number of entries that forgets its oldest entry when full (first
 * in, first out). The caches the bundle gives Ink are built on it, so that a dashboard
 * left open for days holds a bounded amount of text however many distinct lines it shows.
 */
export class BoundedMap<K, V> {
	private readonly map = new Map<K, V>();

	/** @param limit most entries held (> 0) */
	constructor(readonly limit: number) {}

	get(key: K): V | undefined {
		return this.map.get(key);
	}

	/** Stores the value (dropping the oldest entry when full) and returns it. */
	set(key: K, value: V): V {
		if (this.map.size >= this.limit && !this.map.has(key)) {
			const oldest = this.map.keys().next();
			if (!oldest.done) this.map.delete(oldest.value);
		}
		this.map.set(key, value);
		return value;
	}

	get size(): number {
		return this.map.size;
	}

	clear(): void {
		this.map.clear();
	}
}
