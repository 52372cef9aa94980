import { describe, expect, it } from 'vitest';
import { TurnTimeout, withDeadline } from '../../src/conversation/deadline.ts';

describe('withDeadline', () => {
  it('gives up on work that never settles (a query on a silent connection)', async () => {
    await expect(withDeadline(new Promise(() => {}), 20)).rejects.toBeInstanceOf(TurnTimeout);
  });

  it('passes on a value or an error that comes in time', async () => {
    await expect(withDeadline(Promise.resolve('committed'), 1000)).resolves.toBe('committed');
    await expect(withDeadline(Promise.reject(new Error('database away')), 1000)).rejects.toThrow('database away');
  });

  it('leaves no unhandled rejection when the work fails after the deadline', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 40));
      await expect(withDeadline(late, 10)).rejects.toBeInstanceOf(TurnTimeout);
      await new Promise((r) => setTimeout(r, 80));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
