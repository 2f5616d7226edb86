/** Time as the core reads it: injected, so tests run on a fake clock. */
export interface Clock {
  now(): Date;
}
