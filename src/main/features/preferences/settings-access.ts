import type { IncidentStore } from '../../store/incident-store';

/**
 * Where preferences are read and written. Today the index's settings table; the one place to
 * change when settings move to their own file outside the index.
 */
export interface SettingsAccess {
  get<T>(key: string, fallback: T): T;
  set(key: string, value: unknown): void;
}

export function storeSettings(store: Pick<IncidentStore, 'getSetting' | 'setSetting'>): SettingsAccess {
  return { get: (k, f) => store.getSetting(k, f), set: (k, v) => store.setSetting(k, v) };
}
