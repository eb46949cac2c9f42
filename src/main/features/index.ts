import type { Handlers } from '../../shared/contract/index';
import type { WorkbenchContext } from '../context';
import { captureHandlers } from './capture/handlers';
import { hangHandlers } from './hang/handlers';
import { appHandlers } from './app/handlers';
import { crashHandlers } from './crash/handlers';
import { crashlogHandlers } from './crashlog/handlers';
import { etwHandlers } from './etw/handlers';
import { foldersHandlers } from './folders/handlers';
import { incidentHandlers } from './incidents/handlers';
import { logsHandlers } from './logs/handlers';
import { trendsHandlers } from './trends/handlers';
import { bundleHandlers } from './bundle/handlers';
import { preferencesHandlers } from './preferences/handlers';
import { setupHandlers } from './setup/handlers';
import { causesHandlers } from './causes/handlers';
import { timelineHandlers } from './timeline/handlers';

/** A feature's handlers for its own channels (see CONTRIBUTING.md, "Extension points"). */
export type HandlerFactory = (ctx: WorkbenchContext) => Partial<Handlers>;

/**
 * Every feature's handler factory (src/main/features/<feature>/handlers.ts, one per contract
 * file), merged by createWorkbench. Unit tests check that together they cover every contract
 * channel and that each factory answers its own contract file's channels. One line per feature.
 */
export const featureHandlers: HandlerFactory[] = [
  appHandlers,
  incidentHandlers,
  foldersHandlers,
  captureHandlers,
  hangHandlers,
  crashHandlers,
  crashlogHandlers,
  etwHandlers,
  logsHandlers,
  trendsHandlers,
  bundleHandlers,
  preferencesHandlers,
  setupHandlers,
  causesHandlers,
  timelineHandlers,
];
