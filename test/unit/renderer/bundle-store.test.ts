import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestOf, ResponseOf } from '../../../src/shared/contract/index';
import type {
  BundlePreview,
  ExportResult,
  ImportResult,
  PreviewFile,
} from '../../../src/shared/contract/bundle';
import type { BundleManifest } from '../../../src/shared/domain/bundle';
import type { IncidentDetail } from '../../../src/shared/domain/incident';
import { FakeFailure, installFakeBridge, resetStores, settle, standIn } from './fake-bridge';

// The export dialog, issue report and bundle import, against a fake transport on window.ctd.
const bridge = installFakeBridge();
const { useBundleStore } = await import('../../../src/renderer/src/features/bundle/bundle-store');
const { useAppStore } = await import('../../../src/renderer/src/app/app-store');
const { useDetailStore } = await import('../../../src/renderer/src/features/incident/detail-store');
const { useListStore } = await import('../../../src/renderer/src/features/incident/list-store');

const incident = standIn<IncidentDetail>({ id: 'inc-1' });

function file(artifactId: number): PreviewFile {
  return {
    artifactId,
    name: `f${artifactId}`,
    entryName: `f${artifactId}`,
    role: 'crashlog',
    size: 10,
    included: true,
    treatment: 'redacted-text',
    note: null,
    hits: 0,
    samples: [],
  };
}

function preview(request: RequestOf<'bundle:preview'>, ids = [1, 2, 3]): BundlePreview {
  return {
    preset: request.preset ?? 'public',
    files: ids.map(file),
    report: null,
    warnings: [],
    totalBytes: 30,
  };
}

const settings = (extraWords: string[]): ResponseOf<'bundle:settings'> => ({
  extraWords,
  rulesDir: 'D:/redaction',
  ruleSets: [],
  ruleErrors: [],
});

function exported(jobId: string): ExportResult {
  return {
    jobId,
    exportId: 'e1',
    path: '/x/bundle.zip',
    fileName: 'bundle.zip',
    size: 1,
    sha256: '0',
    manifest: standIn<BundleManifest>(),
    entries: 1,
    durationMs: 1,
  };
}

/** Opens the dialog with its preview answered. */
async function openDialog() {
  bridge.reply('bundle:settings', () => settings(['Lydia']));
  bridge.reply('bundle:preview', (r) => preview(r));
  useBundleStore.getState().openExport(incident);
  await settle();
}

beforeEach(() => resetStores(useBundleStore, useAppStore, useDetailStore, useListStore));
afterEach(async () => {
  expect(bridge.badRequests).toEqual([]);
  await bridge.reset();
});

describe('export options', () => {
  it('opens on the public preset, without ETL, every file, and reads the always-redact words', async () => {
    await openDialog();
    expect(bridge.requests('bundle:preview')).toEqual([
      { incidentId: 'inc-1', preset: 'public', includeEtl: false, stacksOnly: false },
    ]);
    expect(useBundleStore.getState()).toMatchObject({ words: ['Lydia'], previewing: false, error: null });
    expect(useBundleStore.getState().preview?.files).toHaveLength(3);
  });

  it('names the files to include only once the user left one out', async () => {
    await openDialog();
    useBundleStore.getState().toggleArtifact(2);
    await settle();
    expect(bridge.requests('bundle:preview').at(-1)).toMatchObject({ artifactIds: [1, 3] });

    useBundleStore.getState().toggleArtifact(2);
    await settle();
    expect(bridge.requests('bundle:preview').at(-1)).not.toHaveProperty('artifactIds');
  });

  it('carries the chosen preset and switches into the preview and the export', async () => {
    await openDialog();
    useBundleStore.getState().setOption({ preset: 'private', includeEtl: true, stacksOnly: true });
    await settle();
    expect(bridge.requests('bundle:preview').at(-1)).toEqual({
      incidentId: 'inc-1',
      preset: 'private',
      includeEtl: true,
      stacksOnly: true,
    });

    bridge.reply('bundle:export', (r) => exported(r.jobId));
    await useBundleStore.getState().startExport();
    const [req] = bridge.requests('bundle:export');
    expect(req).toMatchObject({ incidentId: 'inc-1', preset: 'private', includeEtl: true, stacksOnly: true });
    expect(req?.jobId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('shows the newest preview when an older one answers last', async () => {
    bridge.reply('bundle:settings', () => settings([]));
    useBundleStore.getState().openExport(incident);
    await bridge.answer(
      bridge.open('bundle:preview')[0]!,
      preview(bridge.open('bundle:preview')[0]!.request),
    );
    useBundleStore.getState().setOption({ preset: 'private' });
    useBundleStore.getState().setOption({ preset: 'public' });
    const [older, newer] = bridge.open('bundle:preview');
    expect(older?.request.preset).toBe('private');
    await bridge.answer(newer!, preview(newer!.request, [1]));
    await bridge.answer(older!, preview(older!.request, [1, 2, 3, 4]));
    expect(useBundleStore.getState()).toMatchObject({ previewing: false, preview: { preset: 'public' } });
    expect(useBundleStore.getState().preview?.files).toHaveLength(1);
  });

  it('saves the always-redact words and previews again with them', async () => {
    await openDialog();
    const before = bridge.requests('bundle:preview').length;
    bridge.reply('bundle:setSettings', ({ extraWords }) => settings(extraWords));
    await useBundleStore.getState().saveWords(['Lydia', 'Serana']);
    await settle();
    expect(useBundleStore.getState().words).toEqual(['Lydia', 'Serana']);
    expect(bridge.requests('bundle:preview')).toHaveLength(before + 1);
  });
});

describe('export job', () => {
  it('follows its own progress events only and stops listening when done', async () => {
    await openDialog();
    const running = useBundleStore.getState().startExport();
    const [call] = bridge.open('bundle:export');
    const jobId = call!.request.jobId;
    expect(useBundleStore.getState()).toMatchObject({
      jobId,
      progress: { phase: 'discover', bytesTotal: 30 },
    });
    expect(bridge.listenerCount('bundle:progress')).toBe(1);

    const event = { phase: 'zip' as const, bytesDone: 5, bytesTotal: 30, file: null, message: 'zipping' };
    bridge.emit('bundle:progress', { ...event, jobId });
    bridge.emit('bundle:progress', { ...event, jobId: 'someone-else', bytesDone: 29 });
    expect(useBundleStore.getState().progress).toEqual({
      phase: 'zip',
      bytesDone: 5,
      bytesTotal: 30,
      message: 'zipping',
    });

    // While it runs the dialog's choices stay as they are and it cannot be closed or run twice.
    useBundleStore.getState().setOption({ preset: 'private' });
    useBundleStore.getState().toggleArtifact(1);
    useBundleStore.getState().closeExport();
    await useBundleStore.getState().startExport();
    expect(useBundleStore.getState().dialog).toMatchObject({ preset: 'public', unchecked: [] });
    expect(bridge.requests('bundle:export')).toHaveLength(1);

    await bridge.answer(call!, exported(jobId));
    await running;
    expect(useBundleStore.getState()).toMatchObject({
      jobId: null,
      result: { fileName: 'bundle.zip' },
      progress: { phase: 'done', message: 'Wrote bundle.zip' },
    });
    expect(bridge.listenerCount('bundle:progress')).toBe(0);
  });

  it('asks the desktop where to save first, and exports nothing when that is cancelled', async () => {
    useAppStore.setState({
      info: {
        version: '1',
        transport: 'electron',
        dataDir: 'D:/data',
        dbPath: 'D:/data/index.sqlite',
        platform: 'win32',
      },
    });
    await openDialog();
    bridge.reply('bundle:saveDialog', () => null);
    await useBundleStore.getState().startExport();
    expect(bridge.requests('bundle:saveDialog')).toEqual([{ incidentId: 'inc-1', preset: 'public' }]);
    expect(bridge.requests('bundle:export')).toEqual([]);
    expect(useBundleStore.getState().jobId).toBeNull();

    bridge.reply('bundle:saveDialog', () => ({
      token: 'dest1',
      fileName: 'crash.zip',
      path: 'D:/crash.zip',
    }));
    bridge.reply('bundle:export', (r) => exported(r.jobId));
    await useBundleStore.getState().startExport();
    expect(bridge.requests('bundle:export')[0]).toMatchObject({ saveToken: 'dest1', preset: 'public' });
  });

  it('tells a cancel from a failure', async () => {
    await openDialog();
    const running = useBundleStore.getState().startExport();
    const jobId = bridge.open('bundle:export')[0]!.request.jobId;
    bridge.reply('bundle:cancel', () => ({ cancelled: true }));
    await useBundleStore.getState().cancelExport();
    expect(bridge.requests('bundle:cancel')).toEqual([{ jobId }]);
    await bridge.fail(bridge.open('bundle:export')[0]!, 'cancelled', 'Export cancelled.');
    await running;
    expect(useBundleStore.getState()).toMatchObject({
      jobId: null,
      error: null,
      progress: { phase: 'cancelled', message: 'Export cancelled.' },
    });

    const failing = useBundleStore.getState().startExport();
    await bridge.fail(bridge.open('bundle:export')[0]!, 'internal', 'disk full');
    await failing;
    expect(useBundleStore.getState()).toMatchObject({ jobId: null, error: 'disk full', progress: null });
  });
});

describe('issue report and import', () => {
  it('copies the redacted issue text and shows it', async () => {
    const writeText = vi.fn(async () => undefined);
    // Node has no clipboard; the page's async clipboard API is the one the store uses first.
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    bridge.reply('bundle:issue', () => ({ markdown: '## Crash', length: 8, redacted: true, truncated: [] }));
    await useBundleStore.getState().copyIssue('inc-1');
    expect(bridge.requests('bundle:issue')).toEqual([{ incidentId: 'inc-1', redact: true }]);
    expect(writeText).toHaveBeenCalledWith('## Crash');
    expect(useBundleStore.getState()).toMatchObject({ issueOpen: true, issueCopied: true });
    expect(useAppStore.getState().toast).toMatchObject({ tone: 'info' });
  });

  it('imports a dropped bundle by its path and opens the incident on its Bundle tab', async () => {
    bridge.pathForFile = (f) => `D:/Downloads/${f.name}`;
    bridge.reply('bundle:importFile', () =>
      standIn<ImportResult>({
        incidentId: 'imp-1',
        alreadyImported: false,
        files: 4,
        manifest: standIn<BundleManifest>({ redacted: false }),
      }),
    );
    bridge.reply('incidents:list', () => ({ total: 0, items: [] }));
    bridge.reply('incidents:get', ({ id }) => standIn<IncidentDetail>({ id }));
    useAppStore.getState().setView('trends');

    await useBundleStore.getState().importFiles([new File(['zip'], 'crash.zip')]);
    expect(bridge.requests('bundle:importFile')).toEqual([{ path: 'D:/Downloads/crash.zip' }]);
    expect(bridge.requests('incidents:list')).not.toHaveLength(0);
    expect(useAppStore.getState()).toMatchObject({
      view: 'incidents',
      toast: { text: 'Imported crash.zip: 4 files in the bundle (private, unredacted)', tone: 'info' },
    });
    expect(useDetailStore.getState()).toMatchObject({ openId: 'imp-1', tab: 'bundle' });
    expect(useBundleStore.getState().importing).toBeNull();
  });

  it('names the file that failed to import', async () => {
    bridge.pathForFile = (f) => `D:/${f.name}`;
    bridge.reply('bundle:importFile', () => {
      throw new FakeFailure('bad_input', 'not a CTD Workbench bundle');
    });
    await useBundleStore.getState().importFiles([new File(['x'], 'other.zip')]);
    expect(useAppStore.getState().toast).toEqual({
      text: 'other.zip: not a CTD Workbench bundle',
      tone: 'error',
    });
  });
});
