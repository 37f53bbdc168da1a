import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/parallel/slots.js';

describe('Slots', () => {
  it('hands out at most its size, and a released slot to the longest waiter first', async () => {
    const slots = new Slots(2);
    const a = slots.tryAcquire();
    const b = await slots.acquire();
    expect(a && b).toBeTruthy();
    expect(slots.tryAcquire()).toBeUndefined();
    const order: string[] = [];
    const first = slots.acquire().then((r) => (order.push('first'), r));
    const second = slots.acquire().then((r) => (order.push('second'), r));
    // A newcomer does not jump the queue when a slot frees.
    b?.();
    expect(slots.tryAcquire()).toBeUndefined();
    const r1 = await first;
    expect(order).toEqual(['first']);
    a?.();
    a?.(); // a second call gives nothing back twice
    const r2 = await second;
    expect(order).toEqual(['first', 'second']);
    expect(slots.free).toBe(0);
    r1?.();
    r2?.();
    expect(slots.free).toBe(2);
  });

  it('withdraws a wait when its signal aborts, without losing a slot', async () => {
    const slots = new Slots(1);
    const held = slots.tryAcquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBeUndefined();
    held?.();
    expect(slots.free).toBe(1);
    expect(await slots.acquire(AbortSignal.abort())).toBeUndefined(); // an aborted run takes nothing, even when a slot is free
    expect(slots.free).toBe(1);
  });
});
