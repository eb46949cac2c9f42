import { GameFamily } from './rules';

export { GameFamily };
export * from './game-of';
