import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { personName } from '../core/kernel/person-name';
import { eventHandler } from '../shared/middleware';

/**
 * Cognito's pre token generation trigger (event V2_0, which may add claims to access tokens; it
 * needs the Essentials feature plan). Access tokens carry no `name` by themselves, and the API
 * records who made a change from the access token (`by.name`): the person's name is added to it.
 * Nothing is logged: the event holds the person's name and e-mail address.
 */
export const handler = eventHandler(async (event: PreTokenGenerationV2TriggerEvent) => {
  const name = personName(event.request.userAttributes, event.userName);
  event.response = {
    claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { name } } },
  };
  return event;
});
