import type { Monaco } from './monaco-lite';

/** Language id for plain-text logs (Papyrus, SKSE, SkyrimDiag, crash logs). */
export const LOG_LANGUAGE = 'ctd-log';

/**
 * A small Monarch grammar so a log reads at a glance: timestamps dimmed, error and warning
 * words marked, strings, hex and numbers coloured. Words match logs/severity.ts loosely.
 */
export function registerLogLanguage(monaco: Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === LOG_LANGUAGE)) return;
  monaco.languages.register({ id: LOG_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(LOG_LANGUAGE, {
    ignoreCase: true,
    tokenizer: {
      root: [
        [/^\[\d{2}\/\d{2}\/\d{4} - \d{2}:\d{2}:\d{2}[AP]M\]/, 'comment'],
        [/^\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}([.,]\d+)?\]?/, 'comment'],
        [/\b(error|fatal|exception|failed|failure|cannot|can't|unable|critical|crash(ed)?)\b/, 'invalid'],
        [/\[(error|err|critical|fatal)\]/, 'invalid'],
        [/\b(warning|warn|deprecated|missing|invalid)\b/, 'keyword'],
        [/\[(warning|warn)\]/, 'keyword'],
        [/"[^"]*"/, 'string'],
        [/0x[0-9a-f]+/, 'number.hex'],
        // Whole words first, so digits inside names (`Quest17`, `skse64`) are not numbers.
        [/[a-z_][\w]*/, ''],
        [/\d+(\.\d+)*/, 'number'],
      ],
    },
  });
}
