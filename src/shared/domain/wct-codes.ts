// The WCT code tables without zod, so `hang` analysis does not load it (hang.ts re-exports them).

/** WCT_OBJECT_TYPE numbers as GetThreadWaitChain reports them (wct.h; 11/12 exist in newer SDKs only). */
export const WCT_OBJECT_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'critical section',
  2: 'SendMessage',
  3: 'mutex',
  4: 'ALPC',
  5: 'COM',
  6: 'thread wait',
  7: 'process wait',
  8: 'thread',
  9: 'COM activation',
  10: 'unknown object',
  11: 'socket I/O',
  12: 'SMB I/O',
};

/** WCT_OBJECT_STATUS numbers. */
export const WCT_OBJECT_STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'no access',
  2: 'running',
  3: 'blocked',
  4: 'pid only',
  5: 'pid only (RPCSS)',
  6: 'owned',
  7: 'not owned',
  8: 'abandoned',
  9: 'unknown',
  10: 'error',
};

export const WCT_THREAD_TYPE = 8;
