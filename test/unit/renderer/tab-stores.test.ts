import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogPattern } from '../../../src/shared/domain/logs';
import type { CrashLogAnalysis, CrashLogRules } from '../../../src/shared/domain/crashlog';
import type { EtwEventDetail, EtwEventRow, EtwSummary } from '../../../src/shared/domain/etw';
import type { LogSummaryHead } from '../../../src/shared/contract/logs';
import type { RequestOf } from '../../../src/shared/contract/index';
import { FakeFailure, installFakeBridge, resetStores, standIn, type FakeCall } from './fake-bridge';

// The detail tabs' stores (crash log, logs, ETW), each against a fake transport on window.ctd.
const bridge = installFakeBridge();
const { useCrashLogStore } = await import('../../../src/renderer/src/features/crashlog/crashlog-store');
const { PATTERN_PAGE, RAW_WINDOW, useLogsStore } =
  await import('../../../src/renderer/src/features/logs/logs-store');
const { EVENT_PAGE, useEtwStore } = await import('../../../src/renderer/src/features/etw/etw-store');

beforeEach(() => resetStores(useCrashLogStore, useLogsStore, useEtwStore));
afterEach(async () => {
  expect(bridge.badRequests).toEqual([]);
  await bridge.reset();
});

describe('crash log store', () => {
  const parsed = (title: string) => ({
    artifactId: 7,
    analysis: standIn<CrashLogAnalysis>(),
    text: `log of ${title}`,
    truncated: false,
    error: null,
  });
  const rules = (userRulesEnabled: boolean): CrashLogRules => ({
    sets: [],
    userFolder: 'D:/rules',
    userRulesEnabled,
  });

  it('reads one incident once, and drops the answer for an incident left', async () => {
    void useCrashLogStore.getState().load('a');
    void useCrashLogStore.getState().load('a');
    expect(bridge.requests('crashlog:parsed')).toEqual([{ incidentId: 'a' }]);

    void useCrashLogStore.getState().load('b');
    const [a, b] = bridge.open('crashlog:parsed');
    await bridge.answer(b!, parsed('b'));
    await bridge.answer(a!, parsed('a'));
    expect(useCrashLogStore.getState()).toMatchObject({ incidentId: 'b', text: 'log of b', loading: false });

    // Loaded: opening the same incident again asks nothing.
    void useCrashLogStore.getState().load('b');
    expect(bridge.open('crashlog:parsed')).toHaveLength(0);
  });

  it('says so when the incident has no crash log', async () => {
    bridge.reply('crashlog:parsed', () => ({
      artifactId: null,
      analysis: null,
      text: null,
      truncated: false,
      error: null,
    }));
    await useCrashLogStore.getState().load('a');
    expect(useCrashLogStore.getState().error).toBe('This incident has no crash log.');
  });

  it('moves the user-rules box at once and puts it back when main refuses', async () => {
    bridge.reply('crashlog:rules', () => rules(false));
    await useCrashLogStore.getState().loadRules();

    void useCrashLogStore.getState().setUserRules(true);
    expect(useCrashLogStore.getState().rules?.userRulesEnabled).toBe(true);
    await bridge.fail(bridge.open('crashlog:setRules')[0]!, 'internal', 'cannot write settings');
    expect(useCrashLogStore.getState()).toMatchObject({
      rules: rules(false),
      rulesError: 'cannot write settings',
    });
  });

  it('re-reads the open log after the rules changed, so its findings follow them', async () => {
    bridge.reply('crashlog:parsed', ({ incidentId }) => parsed(incidentId ?? '?'));
    await useCrashLogStore.getState().load('a');
    bridge.reply('crashlog:setRules', ({ userRulesEnabled }) => rules(userRulesEnabled));
    await useCrashLogStore.getState().setUserRules(true);
    expect(bridge.requests('crashlog:parsed')).toEqual([{ incidentId: 'a' }, { incidentId: 'a' }]);
    expect(useCrashLogStore.getState()).toMatchObject({
      incidentId: 'a',
      rules: rules(true),
      rulesError: null,
      loading: false,
    });
  });
});

describe('logs store', () => {
  const head = standIn<LogSummaryHead>({ lines: 5000 });
  const pattern = (id: number): LogPattern => ({
    id,
    signature: `sig ${id}`,
    severity: 'warning',
    count: 1,
    firstLine: 10 * id + 1,
    lastLine: 10 * id + 5,
    firstTs: null,
    lastTs: null,
    example: `line ${id}`,
  });
  const patterns = (request: RequestOf<'logs:patterns'>, total: number, keptLines = true) => {
    const offset = request.offset ?? 0;
    const items: LogPattern[] = [];
    for (let i = offset; i < Math.min(total, offset + PATTERN_PAGE); i++) items.push(pattern(i));
    return {
      artifactId: request.artifactId,
      name: 'Papyrus.0.log',
      summary: head,
      total,
      items,
      keptLines: keptLines && offset === 0 ? [] : null,
      source: 'index' as const,
    };
  };
  const window = (fromLine: number, lineCount: number, totalLines = 5000) => {
    const toLine = Math.min(totalLines, fromLine + lineCount - 1);
    return {
      fromLine,
      toLine,
      text: 'x',
      totalLines,
      longLines: 0,
      eof: toLine === totalLines,
      encoding: 'utf-8',
    };
  };

  it('opens a log: first pattern page and the first raw window; the same version again asks nothing', async () => {
    bridge.reply('logs:raw', (r) => window(r.fromLine ?? 1, r.lineCount ?? 1000));
    void useLogsStore.getState().open(3, '100:1');
    const [call] = bridge.open('logs:patterns');
    expect(call?.request).toEqual({ artifactId: 3, sort: 'severity', offset: 0, limit: PATTERN_PAGE });
    expect(bridge.requests('logs:raw')).toEqual([{ artifactId: 3, fromLine: 1, lineCount: RAW_WINDOW }]);
    await bridge.answer(call!, patterns(call!.request, 1200));
    expect(useLogsStore.getState()).toMatchObject({
      total: 1200,
      loading: false,
      keptLines: [],
      source: 'index',
    });

    await useLogsStore.getState().open(3, '100:1');
    expect(bridge.calls).toHaveLength(2);
    // The file changed on disk (new size:mtime): read again.
    void useLogsStore.getState().open(3, '120:2');
    expect(bridge.open('logs:patterns')).toHaveLength(1);
  });

  it('pages patterns on demand, once each, and drops pages of an older filter', async () => {
    bridge.reply('logs:raw', (r) => window(r.fromLine ?? 1, r.lineCount ?? 1000));
    void useLogsStore.getState().open(3, 'v');
    const [first] = bridge.open('logs:patterns');
    await bridge.answer(first!, patterns(first!.request, 1200));

    useLogsStore.getState().ensureRange(400, 1100);
    useLogsStore.getState().ensureRange(400, 1100);
    const pages = bridge.open('logs:patterns');
    expect(pages.map((c) => c.request.offset)).toEqual([500, 1000]);

    useLogsStore.getState().setFilters({ text: ' Error ', severity: ['error'] });
    const filtered = bridge.open('logs:patterns').at(-1)!;
    expect(filtered.request).toMatchObject({ text: 'Error', severity: ['error'], offset: 0 });
    await bridge.answer(filtered, patterns(filtered.request, 2, false));
    for (const p of pages) await bridge.answer(p, patterns(p.request, 1200));
    expect(useLogsStore.getState().total).toBe(2);
    expect(useLogsStore.getState().rows).toHaveLength(2);
    // Kept lines come with page 0 only; a page without them keeps the ones shown.
    expect(useLogsStore.getState().keptLines).toEqual([]);
  });

  it('moves the mark inside the raw window and loads a new window outside it', async () => {
    bridge.reply('logs:patterns', (r) => patterns(r, 0));
    bridge.reply('logs:raw', (r) => window(r.fromLine ?? 1, r.lineCount ?? 1000));
    await useLogsStore.getState().open(3, 'v');

    await useLogsStore.getState().jumpTo(600);
    expect(bridge.requests('logs:raw')).toHaveLength(1);
    expect(useLogsStore.getState().raw).toMatchObject({ fromLine: 1, toLine: 1000, focus: 600 });

    await useLogsStore.getState().jumpTo(3000);
    expect(bridge.requests('logs:raw').at(-1)).toMatchObject({ fromLine: 3000 - RAW_WINDOW / 4 });
    expect(useLogsStore.getState().raw).toMatchObject({ fromLine: 2750, focus: 3000 });

    await useLogsStore.getState().shift(1);
    expect(useLogsStore.getState().raw).toMatchObject({ fromLine: 3750, focus: null });
    await useLogsStore.getState().shift(-1);
    await useLogsStore.getState().shift(-1);
    await useLogsStore.getState().shift(-1);
    await useLogsStore.getState().shift(-1);
    expect(useLogsStore.getState().raw).toMatchObject({ fromLine: 1 });

    useLogsStore.getState().select(pattern(2), 'last');
    expect(useLogsStore.getState()).toMatchObject({ selectedId: 2, raw: { focus: 25 } });
  });

  it('drops a raw window of a log no longer open', async () => {
    void useLogsStore.getState().open(3, 'v');
    void useLogsStore.getState().open(4, 'v');
    const [raw3] = bridge.open('logs:raw');
    await bridge.answer(raw3!, window(1, RAW_WINDOW));
    expect(useLogsStore.getState()).toMatchObject({ artifactId: 4, raw: null });
  });
});

describe('ETW store', () => {
  const row = (position: number): EtwEventRow => ({
    position,
    timeMs: position,
    provider: 'Kernel',
    event: 'Thread/CSwitch',
    typeId: 1,
    pid: 4,
    tid: 8,
    cpu: 0,
    payloadLength: 24,
  });
  const events = (call: FakeCall<'etw:events'>, total: number) => {
    const offset = call.request.offset ?? 0;
    const rows: EtwEventRow[] = [];
    for (let i = offset; i < Math.min(total, offset + EVENT_PAGE); i++) rows.push(row(i));
    return { total, offset, rows };
  };
  const summary = (events: number) => ({
    artifactId: 11,
    traces: [{ artifactId: 11, name: 'hang.etl', size: 1 }],
    summary: standIn<EtwSummary>({ events }),
    error: null,
  });

  it('loads the summary, then the first page of events of the trace it named', async () => {
    bridge.reply('etw:summary', () => summary(1000));
    await useEtwStore.getState().load('inc');
    expect(bridge.requests('etw:summary')).toEqual([{ incidentId: 'inc' }]);
    expect(useEtwStore.getState()).toMatchObject({
      artifactId: 11,
      total: 1000,
      loading: false,
      error: null,
    });
    expect(bridge.requests('etw:events')).toEqual([{ artifactId: 11, offset: 0, limit: EVENT_PAGE }]);
  });

  it('asks for no events when the incident has no trace', async () => {
    bridge.reply('etw:summary', () => ({ artifactId: null, traces: [], summary: null, error: null }));
    await useEtwStore.getState().load('inc');
    expect(useEtwStore.getState().error).toBe('This incident has no ETW trace.');
    expect(bridge.requests('etw:events')).toEqual([]);
  });

  it('pages events once each and drops pages of an older filter', async () => {
    bridge.reply('etw:summary', () => summary(1000));
    await useEtwStore.getState().load('inc');
    await bridge.answer(bridge.open('etw:events')[0]!, events(bridge.open('etw:events')[0]!, 1000));

    useEtwStore.getState().ensureRange(150, 450);
    useEtwStore.getState().ensureRange(150, 450);
    const pages = bridge.open('etw:events');
    expect(pages.map((c) => c.request.offset)).toEqual([200, 400]);

    // A pid that is not a number is left out rather than sent.
    useEtwStore.getState().setFilter({ provider: 'Kernel', pid: '12x' });
    const filtered = bridge.open('etw:events').at(-1)!;
    expect(filtered.request).toEqual({ artifactId: 11, provider: 'Kernel', offset: 0, limit: EVENT_PAGE });
    await bridge.answer(filtered, events(filtered, 5));
    for (const p of pages) await bridge.answer(p, events(p, 1000));
    expect(useEtwStore.getState().total).toBe(5);
    expect([...useEtwStore.getState().rows.keys()]).toEqual([0, 1, 2, 3, 4]);

    useEtwStore.getState().setFilter({ pid: '12' });
    expect(bridge.open('etw:events').at(-1)?.request).toMatchObject({ pid: 12 });
  });

  it('shows why one event cannot be read', async () => {
    bridge.reply('etw:summary', () => summary(3));
    await useEtwStore.getState().load('inc', 11);
    expect(bridge.requests('etw:summary')).toEqual([{ artifactId: 11 }]);
    bridge.reply('etw:event', () => {
      throw new FakeFailure('bad_input', 'record cut short');
    });
    await useEtwStore.getState().select(2);
    expect(bridge.requests('etw:event')).toEqual([{ artifactId: 11, position: 2 }]);
    expect(useEtwStore.getState()).toMatchObject({ selected: null, selectedError: 'record cut short' });

    bridge.reply('etw:event', ({ position }) => standIn<EtwEventDetail>(row(position)));
    await useEtwStore.getState().select(1);
    expect(useEtwStore.getState()).toMatchObject({ selected: { position: 1 }, selectedError: null });
  });
});
