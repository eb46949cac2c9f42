import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { parseJsonText } from '../../shared/text';

/**
 * Settings (remembered crash folders, the "always redact" words, feature switches…) in their own
 * JSON file beside the index, never inside it: the index can be lost, moved aside or rebuilt
 * at any time (files are the truth), settings must not go with it. Every write replaces the
 * whole file through a temporary file and a rename, so a crash mid-write leaves the old file
 * or the new one, never half of one.
 */
export const SETTINGS_FORMAT = 'ctd-workbench-settings';
export const SETTINGS_VERSION = 1;

interface SettingsDoc {
  format: typeof SETTINGS_FORMAT;
  version: number;
  values: Record<string, unknown>;
}

export class SettingsFile {
  private cache: { stamp: string; values: Record<string, unknown> } | null = null;
  /** Set when an unreadable file was moved aside (its name), so the caller can say so. */
  movedAside: string | null = null;

  constructor(readonly path: string) {}

  exists(): boolean {
    return this.stamp() !== null;
  }

  get<T>(key: string, fallback: T): T {
    const values = this.read();
    return Object.prototype.hasOwnProperty.call(values, key) ? (values[key] as T) : fallback;
  }

  set(key: string, value: unknown): void {
    // Read again right before writing: another process (a CLI run) may have changed another key.
    this.cache = null;
    this.write({ ...this.read(), [key]: value });
  }

  /** Every value (a copy). */
  all(): Record<string, unknown> {
    return { ...this.read() };
  }

  /** Writes several values at once (the one-time move out of an old index). */
  setMany(values: Record<string, unknown>): void {
    this.cache = null;
    this.write({ ...this.read(), ...values });
  }

  private stamp(): string | null {
    try {
      // Read on every get: a missing file is the common case in a fresh data folder, and a
      // thrown ENOENT costs far more than the stat (the scan asks once per incident).
      const st = statSync(this.path, { throwIfNoEntry: false });
      return st ? `${st.mtimeMs}:${st.size}:${st.ino}` : null;
    } catch {
      return null;
    }
  }

  private read(): Record<string, unknown> {
    const stamp = this.stamp();
    if (stamp === null) return {};
    if (this.cache?.stamp === stamp) return this.cache.values;
    let values: Record<string, unknown>;
    try {
      const doc = parseJsonText(readFileSync(this.path, 'utf8')) as Partial<SettingsDoc>;
      if (doc?.format !== SETTINGS_FORMAT || typeof doc.values !== 'object' || doc.values === null)
        throw new Error('not a settings file');
      values = doc.values;
    } catch {
      // Unreadable (edited by hand, a disk error): kept for the user, and the defaults apply.
      this.movedAside = `${this.path}.unreadable-${timestamp()}`;
      try {
        renameSync(this.path, this.movedAside);
      } catch {
        this.movedAside = null;
      }
      values = {};
    }
    this.cache = { stamp: this.stamp() ?? '', values };
    return values;
  }

  private write(values: Record<string, unknown>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const doc: SettingsDoc = { format: SETTINGS_FORMAT, version: SETTINGS_VERSION, values };
    const tmp = `${this.path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const fd = openSync(tmp, 'wx');
    try {
      writeSync(fd, `${JSON.stringify(doc, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.cache = { stamp: this.stamp() ?? '', values };
  }
}

/** 20260412-213000 (local time): sorts by time, valid in a Windows file name. */
export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
