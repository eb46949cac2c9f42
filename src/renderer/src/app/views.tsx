import type { ComponentType } from 'react';
import { CaptureView } from '../features/capture/CaptureView';

/**
 * Top-level views in the sidebar (Incidents, Trends, Capture, ...). Add one line per feature.
 */
export interface AppView {
  id: string;
  label: string;
  Component: ComponentType;
}

export const appViews: AppView[] = [{ id: 'capture', label: 'Capture', Component: CaptureView }];
