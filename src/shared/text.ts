/**
 * Small text helpers main and the renderer share. Paths in dumps, logs and traces are Windows
 * paths whatever machine reads them, so a file's name is cut at either separator.
 */

/** The last part of a Windows or POSIX path ("C:\\Games\\SkyrimSE.exe" → "SkyrimSE.exe"). */
export function fileNameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

/** `0x` and the lower-case hex digits, no padding (addresses, offsets, codes). */
export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

/** Text without a leading byte-order mark (Windows tools write one before UTF-8 JSON and logs). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON.parse after dropping a byte-order mark; throws JSON.parse's SyntaxError. */
export function parseJsonText(text: string): unknown {
  return JSON.parse(stripBom(text));
}
