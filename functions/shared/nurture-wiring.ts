/** Kept for bench/nurture.ts, which imports it: send-email's wiring lives in wiring/nurture.ts. */
export { sendDeps } from './wiring/nurture';
