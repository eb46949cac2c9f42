/** Display helpers shared by list and detail views. */

/** Captured times are local wall-clock ISO strings; show them as the player's clock read. */
export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  if (m) return `${m[1]} ${m[2]}`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatHex(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

const TEXT_EXT = /\.(json|jsonl|txt|log|ini|csv|xml|md|cfg|toml|yaml|yml)$/i;
export function isTextFile(name: string): boolean {
  return TEXT_EXT.test(name);
}

export function languageFor(name: string): string {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.ini$/i.test(name)) return 'ini';
  if (/\.xml$/i.test(name)) return 'xml';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  return 'plaintext';
}
