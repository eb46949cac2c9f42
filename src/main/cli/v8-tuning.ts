import { setFlagsFromString } from 'node:v8';

/**
 * For a CLI command that does one job and exits: V8 optimizes a function after the default
 * interrupt budget (67,584), and in a short run much of that optimizing compiler's work (on its
 * own threads, counted in the process's CPU) is for code that is not hot for long, or is thrown
 * away at a deopt. Sixteen times the budget still optimizes what stays hot (the parser on a
 * multi-MB log, the analyzers in a scan's workers, which share the flag when set before they
 * start). Measured (issue 15): cold scan of 2,000 incidents, median 7.36 -> 6.89 s CPU from 4x
 * (9.07 s at the default), 5,000: 16.0/15.1 -> 13.9/14.6 s, RSS -10 MiB, 64x no better;
 * `analyze` on real logs, 20 alternating runs: JContainers.txt 0.26 -> 0.24 s CPU,
 * TestLogCrashLogger1.txt 0.235 -> 0.215 s, a 1.9 MB log 0.67 -> 0.56 s. It changes when V8
 * optimizes, never what runs. Not for long-lived processes (the app, serve).
 */
export function optimizeOnlyWhatStaysHot(): void {
  setFlagsFromString('--interrupt-budget=1081344');
}
