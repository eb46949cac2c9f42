import type { CliCommand } from '../types';

/**
 * Every CLI command, one module each. Features add their command here (one line each).
 */
export const commands: CliCommand[] = [];
