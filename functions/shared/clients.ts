/** Kept for bench/floor.ts and bench/nurture.ts, which import it: the client lives in aws/dynamodb.ts. */
export { dynamo } from './aws/dynamodb';
