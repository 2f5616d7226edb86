/** Kept for bench/handoff.ts, which imports it: the client lives in aws/sqs.ts. */
export { sqs } from './aws/sqs';
