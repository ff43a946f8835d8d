import { describe, expect, it } from 'vitest';
import { usingLake } from '../../cli/context';

/** A lake whose close fails as a full disk makes SQLite's last checkpoint fail, and what it logged. */
function closingOnAFullDisk() {
  const warnings: unknown[] = [];
  const lake = {
    close: () => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })),
    logger: { warn: (fields: unknown) => void warnings.push(fields) },
  } as unknown as Parameters<typeof usingLake>[0];
  return { lake, warnings };
}

describe("a command's lake, closed after it", () => {
  it("says the command's own failure, not the close's that followed it (which is logged)", async () => {
    const { lake, warnings } = closingOnAFullDisk();
    const failing = new Error('processor:renditions failed every batch for 60 s (last: SQLITE_FULL); they go on retrying, but this command stops waiting');
    await expect(usingLake(lake, () => Promise.reject(failing))).rejects.toBe(failing);
    expect(warnings).toEqual([{ err: expect.objectContaining({ code: 'SQLITE_FULL' }) }]);
  });

  it('says a failing close where the command itself succeeded', async () => {
    const { lake } = closingOnAFullDisk();
    await expect(usingLake(lake, () => Promise.resolve('done'))).rejects.toMatchObject({ code: 'SQLITE_FULL' });
  });
});
