import type { CliCommand } from '../types';
import { analyzeCommand } from './analyze';
import { captureCommand, hangCommand } from './capture';
import { listCommand, scanCommand, showCommand } from './incidents';
import { etwCommand } from './etw';
import { trendsCommand } from './trends';
import { exportCommand, importCommand } from './bundle';
import { bisectCommand, loadorderCommand, setupCommand } from './setup';
import { timelineCommand } from './timeline';

/**
 * Every CLI command, one module each. Features add their command here (one line each).
 */
export const commands: CliCommand[] = [
  scanCommand,
  listCommand,
  showCommand,
  analyzeCommand,
  captureCommand,
  hangCommand,
  etwCommand,
  trendsCommand,
  exportCommand,
  importCommand,
  setupCommand,
  loadorderCommand,
  bisectCommand,
  timelineCommand,
];
