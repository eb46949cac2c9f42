import type { EtwValue } from './etw';

/** Display helpers for ETW data, shared by the renderer and the CLI. */

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (Math.abs(ms) >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

/** Event time in the table: milliseconds since the trace start, microsecond precision. */
export function formatEventTime(ms: number): string {
  return ms.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
}

export function formatEtwValue(v: EtwValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function percentOf(part: number | null, whole: number): string {
  if (part === null || whole <= 0) return '';
  return `${Math.round((part / whole) * 100)}%`;
}
