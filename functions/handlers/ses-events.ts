import type { Context, SNSEvent } from 'aws-lambda';
import { applySesActions, mapSesEvent } from '../core/consent/ses-events';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { count } from '../shared/observability/metrics';
import { sesEventDeps } from '../shared/wiring/consent';
import '../shared/identity';

const deps = sesEventDeps();

/**
 * SNS ses-events (SES configuration set event destination): bounces and complaints suppress,
 * deliveries, opens and clicks feed engagement scoring. A malformed record is logged and skipped
 * (a retry would not fix it); a store failure throws, so Lambda/SNS retry the whole event, which
 * is safe: suppressions keep their first reason and activity ids derive from the SES event.
 */
export const handler = eventHandler(async (event: SNSEvent, _context?: Context): Promise<void> => {
  for (const record of event.Records ?? []) {
    const mapping = mapSesEvent(record.Sns?.Message ?? '');
    if (mapping.kind === 'malformed') {
      logger.warn('ses event skipped: malformed', { snsMessageId: record.Sns?.MessageId });
      continue;
    }
    const applied = await applySesActions(deps, mapping.actions);
    if (mapping.eventType === 'Bounce') count('EmailsBounced');
    if (mapping.eventType === 'Complaint') count('EmailsComplained');
    logger.info('ses event', {
      eventType: mapping.eventType,
      snsMessageId: record.Sns?.MessageId,
      ...applied,
    });
  }
});
