import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, one per service, created at module scope and reused across invocations.
 * Endpoints come from the SDK's own service-specific variables (AWS_ENDPOINT_URL_DYNAMODB
 * ...), which is how the local stack points the same code at the emulators.
 */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
