import { exitWithParent } from './parent-watch';

/** Preloaded (`node --import`) into every Node child of `npm start`: the child stops when the supervisor dies. */
exitWithParent();
