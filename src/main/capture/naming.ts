import { join } from 'node:path';

/** SkyrimDiag's `<ts>`: local wall-clock `YYYYMMDD_HHMMSS_mmm`, no zone (§3). */
export function captureTimestamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_` +
    `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}_${p(d.getMilliseconds(), 3)}`
  );
}

export interface CaptureNames {
  ts: string;
  dump: string;
  wct: string;
  manifest: string;
  /** Same stem as the dump, which is how SkyrimDiag pairs a dump with its trace. */
  etl: string;
}

/** File names of one manual capture, exactly as SkyrimDiag's helper names a manual capture. */
export function manualCaptureNames(ts: string): CaptureNames {
  return {
    ts,
    dump: `SkyrimDiag_Manual_${ts}.dmp`,
    wct: `SkyrimDiag_WCT_Manual_${ts}.json`,
    manifest: `SkyrimDiag_Incident_Manual_${ts}.json`,
    etl: `SkyrimDiag_Manual_${ts}.etl`,
  };
}

export function inDir(dir: string, names: CaptureNames): Record<'dump' | 'wct' | 'manifest' | 'etl', string> {
  return {
    dump: join(dir, names.dump),
    wct: join(dir, names.wct),
    manifest: join(dir, names.manifest),
    etl: join(dir, names.etl),
  };
}
