/**
 * A Map that keeps at most `capacity` entries, forgetting the least recently written or read one. The
 * delivery layer remembers things per person (their locale) for as long as the process runs; in a big
 * workspace that is unbounded, so it keeps the recent ones, and a forgotten person costs one lookup.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly capacity: number) {
    super();
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity ${capacity} is not a positive integer`);
  }

  override get(key: K): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key) as V;
    // Moved to the newest end: a person who keeps writing stays remembered.
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    while (this.size > this.capacity) {
      const oldest = this.keys().next();
      if (oldest.done) break;
      super.delete(oldest.value);
    }
    return this;
  }
}
