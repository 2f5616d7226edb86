import { LeadflowFunction } from '../../constructs/leadflow-function';
import type { ServiceContext } from './context';

/** Health, the OpenAPI document, the contract schemas and the embed script, and the answer to unknown paths. */
export function publicFunction({ stack, logRemovalPolicy }: ServiceContext) {
  // Health, OpenAPI document, contract JSON Schemas and the form embed script: static answers, no table access.
  const publicFn = new LeadflowFunction(stack, 'Public', {
    entry: 'public',
    description: 'Leadflow: health, OpenAPI document, contract schemas, form embed script',
    logRemovalPolicy,
  });
  return { publicFn };
}
