import { bindQueue, bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import { CONSUMER_TIMEOUT } from '../consumer-timeouts';
import type { ServiceContext } from './context';

/** Scoring: the admin API of model versions, and the rescore job it starts. */
export function scoringFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const { table, rescoreQueue } = props;
  const adminScoring = new LeadflowFunction(stack, 'AdminScoring', {
    entry: 'admin-scoring',
    description: 'Leadflow: scoring model versions, simulation, backtests, rescore progress',
    logRemovalPolicy,
  });
  // Reads the token and model versions, pages through leads for backtests (the leads index, then the
  // lead items), writes versions and the rescore job; who added and activated a version is an
  // update of the version item and of the config index item (config-store.ts, config-index.ts).
  bindTable(adminScoring.function, table, {
    actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
    pagesLeads: true,
  });
  // Activating a version starts a rescore by sending its first page.
  bindQueue(adminScoring.function, rescoreQueue, { name: 'rescore-jobs', actions: ['SendMessage'] });

  const rescore = new LeadflowFunction(stack, 'Rescore', {
    entry: 'rescore',
    description: 'Leadflow: rescores one page of leads under the active scoring model',
    logRemovalPolicy,
    // Rebuilding each lead's score from its timeline is CPU-bound; more memory is more CPU.
    memorySize: 1024,
    timeout: CONSUMER_TIMEOUT['rescore-jobs'],
    // rescore queues each next page on rescore-jobs, the queue it consumes: a rescore of more than
    // ~16 pages is such a loop. It ends: every page advances the job's cursor through the leads and the
    // last page queues nothing; a page is counted, and its next one queued, only by its first delivery.
    allowRecursiveLoop: { because: 'each page advances the cursor; the last page queues nothing' },
  });
  // Pages through leads (the leads index, then the lead items), rebuilds each from its timeline (Query) and writes it back
  // conditionally; reads the model and updates the job's progress.
  bindTable(rescore.function, table, {
    actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
    pagesLeads: true,
  });
  // Each page asks for the next one on the same queue.
  bindQueue(rescore.function, rescoreQueue, { name: 'rescore-jobs', actions: ['SendMessage'] });

  return { adminScoring, rescore };
}
