import { closeSync, openSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const WCT_NAME = /^SkyrimDiag_WCT_(Manual_)?(\d{8}_\d{6}(?:_\d{3})?)\.json$/i;
const HEAD_BYTES = 256 * 1024;

/**
 * The main thread per SkyrimDiag (§8): the latest Heartbeat's tid in the black box, else the
 * SessionStart tid. Only the head of the JSONL is read: SessionStart is near the start and the
 * current plugin writes no Heartbeats, so a multi-MB file need not be read whole.
 */
export function mainThreadFromBlackboxText(text: string): number | null {
  let session: number | null = null;
  let heartbeat: number | null = null;
  for (const line of text.split('\n')) {
    const m = /"tid"\s*:\s*(\d+)\s*,\s*"type"\s*:\s*(\d+)/.exec(line);
    if (!m) continue;
    const type = Number(m[2]);
    if (type === 1 && session === null) session = Number(m[1]);
    else if (type === 2) heartbeat = Number(m[1]);
  }
  return heartbeat ?? session;
}

/**
 * Finds `<stem>_SkyrimDiagBlackbox.jsonl` of the dump that shares this WCT file's timestamp.
 * The candidate names are built from SkyrimDiag's own spelling and opened directly: listing
 * the folder per WCT file made indexing a folder of thousands of hangs quadratic.
 */
export function mainThreadNextToWct(wctPath: string): number | null {
  const m = WCT_NAME.exec(basename(wctPath));
  if (!m) return null;
  const dir = dirname(wctPath);
  const kinds = m[1] ? ['Manual', 'Hang'] : ['Hang', 'Manual'];
  for (const kind of kinds) {
    let fd: number;
    try {
      fd = openSync(join(dir, `SkyrimDiag_${kind}_${m[2]}_SkyrimDiagBlackbox.jsonl`), 'r');
    } catch {
      continue;
    }
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
      return mainThreadFromBlackboxText(buf.subarray(0, n).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  }
  return null;
}
