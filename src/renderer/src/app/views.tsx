import type { ComponentType } from 'react';
import { CaptureView } from '../features/capture/CaptureView';
import { IncidentsView } from '../features/incident/IncidentsView';
import { FoldersView } from '../features/folders/FoldersView';
import { TrendsView } from '../features/trends/TrendsView';
import { BisectView } from '../features/setup/BisectView';

/**
 * Top-level views in the sidebar (Incidents, Trends, Capture, ...). Add one line per feature.
 */
export interface AppView {
  id: string;
  label: string;
  Component: ComponentType;
}

export const appViews: AppView[] = [
  { id: 'incidents', label: 'Incidents', Component: IncidentsView },
  { id: 'trends', label: 'Trends', Component: TrendsView },
  { id: 'capture', label: 'Capture', Component: CaptureView },
  { id: 'folders', label: 'Folders', Component: FoldersView },
  { id: 'bisect', label: 'Bisect', Component: BisectView },
];
