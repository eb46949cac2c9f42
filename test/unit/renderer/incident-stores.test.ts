import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentDetail, IncidentSummary } from '../../../src/shared/domain/incident';
import { FakeFailure, installFakeBridge, resetStores, type FakeCall } from './fake-bridge';

// The stores reach main through api/client.ts, which finds the fake on window.ctd.
const bridge = installFakeBridge();
const { PAGE_SIZE, useListStore } = await import('../../../src/renderer/src/features/incident/list-store');
const { useDetailStore } = await import('../../../src/renderer/src/features/incident/detail-store');

function summary(i: number): IncidentSummary {
  return {
    id: `inc-${i}`,
    kind: 'crash',
    source: 'crashlogger',
    capturedAt: '2026-11-30T21:04:05',
    title: `crash ${i}`,
    signature: null,
    status: 'new',
    folder: 'C:/Games/Logs',
    artifactCount: 1,
    hasErrors: false,
  };
}

function detail(id: string, patch: Partial<IncidentDetail> = {}): IncidentDetail {
  return { ...summary(0), id, verdict: null, artifacts: [], notes: '', ...patch };
}

/** One page of a list of `total` incidents, as main answers it. */
function page(total: number, offset: number, limit: number) {
  const items: IncidentSummary[] = [];
  for (let i = offset; i < Math.min(total, offset + limit); i++) items.push(summary(i));
  return { total, items };
}

/** Unanswered list requests for rows (not a one-row count). */
const pageCalls = () => bridge.open('incidents:list').filter((c) => c.request.limit === PAGE_SIZE);

function answerPage(call: FakeCall<'incidents:list'>, total: number) {
  return bridge.answer(call, page(total, call.request.offset ?? 0, PAGE_SIZE));
}

beforeEach(() => resetStores(useListStore, useDetailStore));
afterEach(async () => {
  expect(bridge.badRequests).toEqual([]);
  await bridge.reset();
});

describe('incident list store', () => {
  it('asks for the first page with the filters trimmed and empty ones left out', async () => {
    useListStore.getState().setFilters({ search: '  skse64  ', kind: 'crash' });
    const [call] = pageCalls();
    expect(call?.request).toEqual({ search: 'skse64', kind: 'crash', offset: 0, limit: PAGE_SIZE });
    expect(useListStore.getState().loading).toBe(true);

    await answerPage(call!, 450);
    const s = useListStore.getState();
    expect(s).toMatchObject({ total: 450, loadedOnce: true, loading: false, error: null });
    expect(s.rows).toHaveLength(450);
    expect(s.rows[0]?.id).toBe('inc-0');
    expect(s.rows[PAGE_SIZE]).toBeUndefined();
  });

  it('asks for no page before the first answer and only for missing pages after it', async () => {
    useListStore.getState().ensureRange(0, 500);
    expect(bridge.calls).toHaveLength(0);

    void useListStore.getState().refresh();
    await answerPage(pageCalls()[0]!, 1000);

    useListStore.getState().ensureRange(150, 450);
    expect(pageCalls().map((c) => c.request.offset)).toEqual([200, 400]);
    // The same range again while those pages are on their way: nothing new is asked.
    useListStore.getState().ensureRange(150, 450);
    expect(pageCalls()).toHaveLength(2);

    for (const c of pageCalls()) await answerPage(c, 1000);
    expect(
      useListStore
        .getState()
        .rows.slice(0, 600)
        .every((r) => r !== undefined),
    ).toBe(true);
    useListStore.getState().ensureRange(0, 599);
    expect(pageCalls()).toHaveLength(0);
    // Past the end of the list: nothing to ask for.
    useListStore.getState().ensureRange(990, 5000);
    expect(pageCalls().map((c) => c.request.offset)).toEqual([800]);
  });

  it('drops an answer to an older query, whichever order the answers come in', async () => {
    useListStore.getState().setFilters({ search: 'old' });
    useListStore.getState().setFilters({ search: 'new' });
    const [older, newer] = pageCalls();
    expect(older?.request.search).toBe('old');
    expect(newer?.request.search).toBe('new');

    await answerPage(newer!, 3);
    await answerPage(older!, 900);
    expect(useListStore.getState().total).toBe(3);
    expect(useListStore.getState().rows).toHaveLength(3);

    // A failure of the older query does not show either.
    useListStore.getState().setFilters({ search: 'a' });
    useListStore.getState().setFilters({ search: 'b' });
    const [a, b] = pageCalls();
    await bridge.fail(a!, 'internal', 'boom');
    expect(useListStore.getState().error).toBeNull();
    await answerPage(b!, 7);
    expect(useListStore.getState()).toMatchObject({ total: 7, error: null, loading: false });
  });

  it('drops a page of an older query that arrives after a refresh', async () => {
    void useListStore.getState().refresh();
    await answerPage(pageCalls()[0]!, 1000);
    useListStore.getState().ensureRange(400, 450);
    const [stalePage] = pageCalls();

    useListStore.getState().setFilters({ status: 'new' });
    await answerPage(
      pageCalls().find((c) => c.request.status === 'new')!,
      300,
    );
    await answerPage(stalePage!, 1000);
    expect(useListStore.getState().total).toBe(300);
    expect(useListStore.getState().rows).toHaveLength(300);
  });

  it('marks a store_* failure as an index problem (the UI offers a rebuild), others not', async () => {
    void useListStore.getState().refresh();
    await bridge.fail(pageCalls()[0]!, 'store_locked', 'The index is locked by another process.');
    expect(useListStore.getState()).toMatchObject({
      error: 'The index is locked by another process.',
      indexProblem: true,
      loading: false,
      loadedOnce: true,
    });

    void useListStore.getState().refresh();
    await bridge.fail(pageCalls()[0]!, 'transport', 'Cannot reach the workbench service (serve mode).');
    expect(useListStore.getState()).toMatchObject({ indexProblem: false });

    void useListStore.getState().refresh();
    await answerPage(pageCalls()[0]!, 2);
    expect(useListStore.getState()).toMatchObject({ error: null, indexProblem: false, total: 2 });
  });

  it('keeps the selection inside the list', async () => {
    useListStore.getState().select(3);
    expect(useListStore.getState().selected).toBe(0);

    void useListStore.getState().refresh();
    await answerPage(pageCalls()[0]!, 10);
    useListStore.getState().select(42);
    expect(useListStore.getState().selected).toBe(9);
    useListStore.getState().select(-5);
    expect(useListStore.getState().selected).toBe(0);

    useListStore.getState().select(9);
    void useListStore.getState().refresh();
    await answerPage(pageCalls()[0]!, 4);
    expect(useListStore.getState().selected).toBe(3);

    // A new filter starts at the top.
    useListStore.getState().setFilters({ kind: 'hang' });
    expect(useListStore.getState().selected).toBe(0);
  });

  it('keeps the sidebar count of the whole index while filters narrow the list', async () => {
    void useListStore.getState().refresh();
    await answerPage(pageCalls()[0]!, 120);
    expect(useListStore.getState()).toMatchObject({ total: 120, allTotal: 120 });

    useListStore.getState().setFilters({ game: 'fallout4' });
    // One page of the filtered list, and a one-row count of everything.
    const count = bridge.open('incidents:list').find((c) => c.request.limit === 1);
    expect(count?.request).toEqual({ offset: 0, limit: 1 });
    expect(pageCalls()[0]?.request).toMatchObject({ game: 'fallout4' });
    await answerPage(pageCalls()[0]!, 7);
    await bridge.answer(count!, page(125, 0, 1));
    expect(useListStore.getState()).toMatchObject({ total: 7, allTotal: 125 });
  });

  it('patches one row in place', async () => {
    void useListStore.getState().refresh();
    await answerPage(pageCalls()[0]!, 3);
    useListStore.getState().patchRow('inc-1', { status: 'fixed' });
    expect(useListStore.getState().rows.map((r) => r?.status)).toEqual(['new', 'fixed', 'new']);
  });
});

describe('incident detail store', () => {
  it('opens an incident and drops the answer for one opened before it', async () => {
    void useDetailStore.getState().open('a');
    void useDetailStore.getState().open('b');
    expect(useDetailStore.getState()).toMatchObject({ openId: 'b', loading: true, detail: null });
    const [a, b] = bridge.open('incidents:get');

    await bridge.answer(b!, detail('b'));
    await bridge.answer(a!, detail('a'));
    expect(useDetailStore.getState()).toMatchObject({ openId: 'b', loading: false, error: null });
    expect(useDetailStore.getState().detail?.id).toBe('b');
  });

  it('keeps the shown detail while the same incident reloads, and says when it is gone', async () => {
    bridge.reply('incidents:get', ({ id }) => detail(id));
    await useDetailStore.getState().open('a');
    bridge.reply('incidents:get', () => null);
    const reopening = useDetailStore.getState().open('a');
    expect(useDetailStore.getState().detail?.id).toBe('a');
    await reopening;
    expect(useDetailStore.getState()).toMatchObject({
      loading: false,
      error: 'This incident is no longer in the index.',
    });
  });

  it('shows a new status at once in the detail and the list row, and puts it back when refused', async () => {
    bridge.reply('incidents:list', (q) => page(3, q.offset ?? 0, q.limit ?? 500));
    await useListStore.getState().refresh();
    bridge.reply('incidents:get', ({ id }) => detail(id));
    await useDetailStore.getState().open('inc-1');

    void useDetailStore.getState().setStatus('ignored');
    expect(useDetailStore.getState().detail?.status).toBe('ignored');
    expect(useListStore.getState().rows[1]?.status).toBe('ignored');
    const [call] = bridge.open('incidents:setStatus');
    expect(call?.request).toEqual({ id: 'inc-1', status: 'ignored' });

    await bridge.fail(call!, 'store_io', 'disk full');
    expect(useDetailStore.getState().error).toBe('disk full');
    expect(useDetailStore.getState().detail?.status).toBe('new');
    expect(useListStore.getState().rows[1]?.status).toBe('new');

    // Two clicks, the first refused after the second: the second one stays.
    void useDetailStore.getState().setStatus('seen');
    void useDetailStore.getState().setStatus('fixed');
    const [first, second] = bridge.open('incidents:setStatus');
    await bridge.answer(second!, { ok: true });
    await bridge.fail(first!, 'store_io', 'disk full');
    expect(useDetailStore.getState().detail?.status).toBe('fixed');
    expect(useListStore.getState().rows[1]?.status).toBe('fixed');
  });

  it('saves notes only into the incident they were written for', async () => {
    bridge.reply('incidents:get', ({ id }) => detail(id));
    bridge.reply('incidents:setNotes', () => ({ ok: true }));
    await useDetailStore.getState().open('a');
    await expect(useDetailStore.getState().saveNotes('a', 'mod X again')).resolves.toBe(true);
    expect(useDetailStore.getState().detail?.notes).toBe('mod X again');

    // Written for "a", answered after "b" was opened: "b" keeps its notes.
    const saving = useDetailStore.getState().saveNotes('a', 'late');
    await useDetailStore.getState().open('b');
    await saving;
    expect(useDetailStore.getState().detail).toMatchObject({ id: 'b', notes: '' });

    bridge.reply('incidents:setNotes', () => {
      throw new FakeFailure('bad_request', 'notes: too long');
    });
    await expect(useDetailStore.getState().saveNotes('b', 'x')).resolves.toBe(false);
    expect(useDetailStore.getState().error).toBe('notes: too long');
  });
});
