import type { Handlers } from '../shared/contract/index';
import type { WorkbenchContext } from './context';
import { captureHandlers } from './capture/handlers';
import { hangHandlers } from './analysis/hang/handlers';
import { appHandlers } from './app-handlers';
import { crashHandlers } from './crash/handlers';
import { crashlogHandlers } from './crashlog/handlers';
import { etwHandlers } from './analysis/etw/handlers';
import { logsHandlers } from './analysis/logs/handlers';
import { trendsHandlers } from './analysis/trends/handlers';
import { bundleHandlers } from './export/handlers';
import { setupHandlers } from './features/setup/handlers';

/** A feature's handlers for its own channels (see CONTRIBUTING.md, "Extension points"). */
export type HandlerFactory = (ctx: WorkbenchContext) => Partial<Handlers>;

/**
 * Every feature's handler factory, merged by createWorkbench after the core incident handlers.
 * A unit test checks that together they cover every contract channel. One line per feature.
 */
export const featureHandlers: HandlerFactory[] = [
  captureHandlers,
  hangHandlers,
  appHandlers,
  crashHandlers,
  crashlogHandlers,
  etwHandlers,
  logsHandlers,
  trendsHandlers,
  bundleHandlers,
  setupHandlers,
];
