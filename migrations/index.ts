import { Foundation1764460800000 } from './1764460800000-foundation.js';

/** Every migration, in order. Listed explicitly so the same list works compiled and under Jest. */
export const MIGRATIONS = [Foundation1764460800000];
