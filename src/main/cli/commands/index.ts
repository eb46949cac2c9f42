import type { CliCommand } from '../types';
import { analyzeCommand } from './analyze';

/**
 * Every CLI command, one module each. Features add their command here (one line each).
 */
export const commands: CliCommand[] = [analyzeCommand];
