import { z } from 'zod';
import { channel, event } from './define';

export const CaptureProcess = z.object({
  pid: z.number().int(),
  parentPid: z.number().int(),
  name: z.string(),
  exePath: z.string(),
  windowTitle: z.string(),
  /** null: the process has no window to ask. */
  responding: z.boolean().nullable(),
  /** Skyrim / Fallout 4 executables, listed first. */
  isGame: z.boolean(),
});
export type CaptureProcess = z.infer<typeof CaptureProcess>;

export const DumpProfileSchema = z.enum(['small', 'default', 'full']);

export const CaptureStartRequest = z.object({
  pid: z.number().int().min(1),
  dumpProfile: DumpProfileSchema.default('default'),
  withWct: z.boolean().default(true),
  /** 0 = no ETW window; otherwise 1..30 seconds. */
  etwSeconds: z.number().int().min(0).max(30).default(0),
  /** GeneralProfile, CPU, DiskIO, FileIO or an absolute .wprp path. */
  etwProfile: z.string().min(1).max(4096).default('GeneralProfile'),
  /** Recorded in the manifest's context.trigger. */
  trigger: z.enum(['ui', 'hotkey', 'tray']).default('ui'),
});

const PartStatus = z.enum(['ok', 'failed', 'skipped']);

export const CaptureResult = z.object({
  ok: z.boolean(),
  partial: z.boolean(),
  message: z.string(),
  ts: z.string(),
  folder: z.string(),
  files: z.object({
    dump: z.string().nullable(),
    wct: z.string().nullable(),
    manifest: z.string().nullable(),
    etl: z.string().nullable(),
  }),
  wct: z.object({ status: PartStatus, message: z.string().nullable() }),
  dump: z.object({
    status: z.enum(['ok', 'failed']),
    message: z.string().nullable(),
    bytes: z.number().nullable(),
  }),
  etw: z.object({ status: PartStatus, manifestStatus: z.string(), message: z.string().nullable() }),
  processExited: z.boolean(),
  /** The indexed incident holding the new files, to open at once. */
  incidentId: z.string().nullable(),
});
export type CaptureResult = z.infer<typeof CaptureResult>;

export const EtwStatus = z.object({
  available: z.boolean(),
  /** Why not, when unavailable (no wpr.exe, not Windows, no admin). */
  reason: z.string().nullable(),
  /** A WPR session is recording that no capture of ours is running: stale, offer to cancel it. */
  staleSession: z.boolean(),
  text: z.string(),
});

export const captureChannels = {
  'capture:listProcesses': channel(
    z.object({}),
    z.object({ supported: z.boolean(), reason: z.string().nullable(), processes: z.array(CaptureProcess) }),
    'Running processes to capture (games first); on non-Windows: supported=false, "capture needs Windows".',
  ),
  'capture:start': channel(
    CaptureStartRequest,
    CaptureResult,
    'Manual capture of a process: WCT + dump + optional ETW window; resolves when done (progress via events).',
  ),
  'capture:cancel': channel(
    z.object({}),
    z.object({ cancelled: z.boolean() }),
    'Cancel the running capture (ends the ETW window; a dump already being written finishes).',
  ),
  'capture:etwStatus': channel(
    z.object({}),
    EtwStatus,
    'Whether ETW capture works here and a stale session runs.',
  ),
  'capture:cancelStaleEtw': channel(
    z.object({}),
    z.object({ ok: z.boolean(), message: z.string() }),
    'Cancel a WPR session left running by an earlier run.',
  ),
} as const;

export const captureEvents = {
  'capture:progress': event(
    z.object({
      phase: z.enum(['starting', 'wct', 'dump', 'manifest', 'etw', 'done', 'failed']),
      message: z.string(),
      etwRemainingSec: z.number().nullable(),
      etwTotalSec: z.number().nullable(),
    }),
    'Capture progress: phase, message, ETW countdown.',
  ),
  'capture:completed': event(
    CaptureResult,
    'A capture ended (from the Capture view, the global hotkey or the tray): open result.incidentId.',
  ),
} as const;
