import { TRANSFER_CHUNK_BYTES, type ImportResult } from '../../../../shared/contract/bundle';
import { invoke, pathForDroppedFile } from '../../api/client';

/** Base64 of a slice of a File, without building a binary string by hand. */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('Cannot read the file'));
    r.readAsDataURL(blob);
  });
}

/**
 * Imports a bundle the user dropped or picked. The desktop app knows the file's path; a browser
 * (serve mode) only has its bytes, so they go over the bridge in 1 MiB chunks, in order, and the
 * service checks the announced size, every offset, and a size cap before anything is imported.
 */
export async function importBundleFile(
  file: File,
  onProgress?: (sent: number, total: number) => void,
): Promise<ImportResult> {
  const path = pathForDroppedFile(file);
  if (path) return invoke('bundle:importFile', { path });
  const { uploadId } = await invoke('bundle:uploadBegin', { name: file.name, size: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += TRANSFER_CHUNK_BYTES) {
      const data = await base64Of(file.slice(offset, offset + TRANSFER_CHUNK_BYTES));
      await invoke('bundle:uploadChunk', { uploadId, offset, data });
      onProgress?.(Math.min(file.size, offset + TRANSFER_CHUNK_BYTES), file.size);
    }
    return await invoke('bundle:uploadEnd', { uploadId });
  } catch (e) {
    void invoke('bundle:uploadAbort', { uploadId }).catch(() => undefined);
    throw e;
  }
}

/** Fetches an exported bundle in chunks and hands it to the browser as a download. */
export async function downloadExport(
  exportId: string,
  fileName: string,
  onProgress?: (got: number, total: number) => void,
): Promise<void> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; ;) {
    const c = await invoke('bundle:download', { exportId, offset, length: TRANSFER_CHUNK_BYTES });
    const bin = atob(c.data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    parts.push(bytes);
    offset += bytes.length;
    onProgress?.(offset, c.size);
    if (c.done || bytes.length === 0) break;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Clipboard with a fallback for pages where the async API is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}
