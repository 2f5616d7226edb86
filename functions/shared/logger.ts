import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per bundle. Personal data and secrets never go in: handlers log ids (leadId,
 * formId, deliveryId), counts and error names only — a test at INFO level checks that no email,
 * name, phone or IP reaches the output.
 */
export const logger = new Logger({ serviceName: 'leadflow' });
