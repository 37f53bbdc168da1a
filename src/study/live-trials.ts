/**
 * The trials running in this process, by number, in the order they started. A short array
 * searched linearly: there are rarely more than a few (one per worker). A Map that empties
 * after every trial reallocates its table each time, and so does an array whose length drops
 * to 0, so this one keeps its slots and a count (about 300 bytes saved per trivial trial).
 */
export class LiveTrials<T extends { readonly number: number }> {
  readonly #slots: (T | undefined)[] = [];
  #count = 0;

  /** How many trials are live; `at(0)` … `at(count - 1)` are they, oldest first. */
  get count(): number {
    return this.#count;
  }

  at(index: number): T {
    return this.#slots[index] as T;
  }

  get(number: number): T | undefined {
    const i = this.#indexOf(number);
    return i < 0 ? undefined : this.#slots[i];
  }

  has(number: number): boolean {
    return this.#indexOf(number) >= 0;
  }

  /** Adds a trial, replacing one with the same number (which keeps its place). */
  set(item: T): void {
    const i = this.#indexOf(item.number);
    this.#slots[i < 0 ? this.#count++ : i] = item;
  }

  delete(number: number): void {
    const i = this.#indexOf(number);
    if (i < 0) return;
    const slots = this.#slots;
    for (let j = i + 1; j < this.#count; j++) slots[j - 1] = slots[j];
    slots[--this.#count] = undefined;
  }

  #indexOf(number: number): number {
    const slots = this.#slots;
    for (let i = 0; i < this.#count; i++) if ((slots[i] as T).number === number) return i;
    return -1;
  }
}
