import type { ComponentType } from 'react';
import type { IncidentDetail } from '../../../../shared/domain/incident';
import { HangTab, hasHangData } from '../hang/HangTab';
import { CrashTab, hasDump } from '../crash/CrashTab';
import { CrashLogTab, hasCrashLog } from '../crashlog/CrashLogTab';
import { EtwTab, hasEtl } from '../etw/EtwTab';
import { OverviewTab } from './OverviewTab';
import { FilesTab } from './FilesTab';
import { ManifestTab, hasManifest } from './ManifestTab';
import { LogsTab, hasLogs } from '../logs/LogsTab';
import { BundleTab, isBundle } from '../bundle/BundleTab';
import { TimelineTab, hasTimeline } from '../timeline/TimelineTab';

/**
 * Detail-view tabs. Core tabs (Overview, Files, Manifest) and feature tabs (Crash, Hang, Log,
 * ETW, ...) register here; a tab shows when `when(incident)` is true, in this order.
 * Add one line per feature tab; keep the component in its feature folder.
 */
export interface DetailTab {
  id: string;
  /** Fixed, or from the incident (the dump tab of a hang is not a "Crash"). */
  label: string | ((incident: IncidentDetail) => string);
  when: (incident: IncidentDetail) => boolean;
  Component: ComponentType<{ incident: IncidentDetail }>;
}

export const detailTabs: DetailTab[] = [
  { id: 'overview', label: 'Overview', when: () => true, Component: OverviewTab },
  { id: 'bundle', label: 'Bundle', when: isBundle, Component: BundleTab },
  { id: 'crash', label: (i) => (i.kind === 'crash' ? 'Crash' : 'Dump'), when: hasDump, Component: CrashTab },
  { id: 'crashlog', label: 'Crash log', when: hasCrashLog, Component: CrashLogTab },
  { id: 'hang', label: 'Hang', when: hasHangData, Component: HangTab },
  { id: 'etw', label: 'ETW', when: hasEtl, Component: EtwTab },
  { id: 'logs', label: 'Logs', when: hasLogs, Component: LogsTab },
  { id: 'timeline', label: 'Timeline', when: hasTimeline, Component: TimelineTab },
  { id: 'files', label: 'Files', when: () => true, Component: FilesTab },
  { id: 'manifest', label: 'Manifest', when: hasManifest, Component: ManifestTab },
];
