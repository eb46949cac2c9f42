import type { EventName, EventPayloadOf } from '../shared/contract/index';

/**
 * What a feature's handler factory gets from the composition root (workbench.ts).
 * `services` grows as features land; read what you need from it, never construct a second store.
 */
export interface WorkbenchContext {
  /** Per-user data folder (settings, index DB, imported bundles, captures). */
  readonly dataDir: string;
  readonly transport: 'electron' | 'serve' | 'cli' | 'test';
  /** Push an event to every connected renderer. */
  emit<K extends EventName>(name: K, payload: EventPayloadOf<K>): void;
}
