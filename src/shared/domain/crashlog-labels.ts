import type { CrashLogger } from './crashlog';

/**
 * Display names of the crash loggers, in a module without zod so the analysis path of
 * `analyze` does not load it (crashlog.ts re-exports this).
 */
export const LOGGER_LABEL: Record<CrashLogger, string> = {
  crashlogger: 'Crash Logger',
  buffout4: 'Buffout 4',
  netscriptframework: 'NetScriptFramework',
  trainwreck: 'Trainwreck',
  unknown: 'unknown logger',
};
