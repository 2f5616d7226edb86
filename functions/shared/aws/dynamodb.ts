import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../observability/tracing';

/**
 * The DynamoDB document client, one per container, reused across invocations. The endpoint comes
 * from the SDK's own AWS_ENDPOINT_URL_DYNAMODB, which is how the local stack points it at dynalite.
 */
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
// Traced: an X-Ray subsegment per call where tracing is on (observability/tracing.ts).
export const dynamo = /* @__PURE__ */ DynamoDBDocumentClient.from(
  /* @__PURE__ */ traced(/* @__PURE__ */ new DynamoDBClient({})),
  {
    marshallOptions: { removeUndefinedValues: true },
  },
);
