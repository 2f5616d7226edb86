import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// Only what --help and every command need is imported here. Each command loads its own modules
// (and the npm packages under them) with import() where it runs: the CLI is bundled with esbuild
// code splitting (bin/build-cli.mjs), so a command parses and evaluates only its own chunk —
// issue 16's target is an answer within 1 s for every command.
import { ROLES, type Role } from '../functions/core/kernel/auth';
import { EmailEventError, emitEmailEvent } from './commands/email-event';
import { ImportCliError, importFile } from './commands/import';
import { formatSmokeStep, SMOKE_EMAIL, SMOKE_FORM, smoke } from './commands/smoke';
import { CliError, salesCommand } from './sales-commands';

const USAGE = `leadflow — operator commands (direct table access with your AWS credentials)

  leadflow config push [--dir config]            validate config/ and publish changed forms, scoring model and nurture
                                                  (settings, templates, sequences) as new versions
  leadflow config check [--dir config]           validate config/ only; each problem as file:line:column: path
  leadflow config pull [--dir config]            write the active versions back to config/ (comments kept; a file
                                                  equal to the active version is not touched)
  leadflow tokens create --role ROLE --name NAME  print a new API token (shown once; stored as SHA-256)
  leadflow tokens revoke TOKEN                    revoke a token
  leadflow leads reindex                          backfill the lead indexes (lead pages, the lead list, segment facts)
                                                  and the suppression list's of items written before them; scans the
                                                  table; safe to run again
  leadflow reports backfill                       queue timeline entries written before the reports for counting
                                                  (the next ticks count them); scans the table; safe to run again
  leadflow webhooks replay DELIVERY_ID            run a kept webhook delivery (30 days) through today's mapping
  leadflow webhooks redeliver ENDPOINT_ID [--since TIME] [--resume] [--dry-run] [--url BASE] [--token TOKEN]
        [--dlq --stage STAGE | --prefix P]       after a receiver's outage: send again each event an outbound
                                                  webhook endpoint did not get (failed or dead-lettered, not
                                                  delivered since), same webhook-id; --resume sets a paused
                                                  endpoint active first; --dlq then takes the endpoint's parked
                                                  copies off the integration-deliveries DLQ (TOKEN: an admin token)
  leadflow sales next                             claim the next hot lead and print its card
  leadflow sales claims                           my live claims (with their tokens) and the leads I own
  leadflow sales extend|release CLAIM_TOKEN       keep the lead longer / put it back on the queue
  leadflow sales outcome LEAD_ID --claim CLAIM_TOKEN --outcome OUTCOME [--note TEXT] [--reason TEXT]
                                                  contacted, meeting_booked, qualified, disqualified (--reason),
                                                  recycled, won, lost
  leadflow sales queue                            waiting and claimed counts
  leadflow smoke --url BASE [--token TOKEN] [--form ${SMOKE_FORM}] [--email ${SMOKE_EMAIL}]
                                                  health, a test sign-up (no consent: no e-mail), lookup, erase;
                                                  each step with its time; stops with exit 1 at the first failure
                                                  (TOKEN: an admin or marketing token, or LEADFLOW_TOKEN)
  leadflow import FILE --map HEADER=FIELD,... --consent-basis consent_given|legitimate_interest|none
        [--consent-text TEXT --consent-source WHERE --consent-date DATE] [--consent-column HEADER] [--dry-run]
        [--url BASE] [--token TOKEN]            import leads from a CSV through the API (FIELD: a standard field,
                                                  custom:<name> or ignore); follows the progress, prints the counts
                                                  and where the error report is (TOKEN: marketing or admin)
  leadflow suppressions export [--out FILE]      the suppression list as CSV (suppressionKey: a keyed hash, never an
                                                  address; reason, at, source, erasedAt); scans the table
  leadflow dlq list [--stage STAGE | --prefix P]  each queue's dead-letter queue: messages and oldest age
  leadflow dlq redrive QUEUE [--wait] [--stage STAGE | --prefix P]
                                                  move a DLQ's messages back to QUEUE (hot-leads, email-jobs,
                                                  rescore-jobs, ad-leads, or the queue's name): SQS StartMessageMoveTask
  leadflow ses status [--stage STAGE | --configuration-set NAME]
                                                  SES account (sending, enforcement, quota, production access)
                                                  and the configuration set's sending switch; exit 1 unless both send
  leadflow email event MESSAGE_ID open|click [--link URL] [--url http://localhost:3000]
                                                  local stack only: publish an SES open or click of a sent email
                                                  (ses-events records it on the lead's timeline); --url or LEADFLOW_API_URL

Env: LEADFLOW_TABLE_NAME (the stateful stack's TableName output), AWS credentials and region;
webhooks replay also LEADFLOW_IDENTITY_KEY (the leadflow-<stage>/identity secret);
sales commands use the API instead: LEADFLOW_API_URL and LEADFLOW_TOKEN (a sales token).
dlq: the queues named ${stackPrefix('STAGE')}… (--stage or LEADFLOW_STAGE), or --prefix (the local stack: leadflow-).
ses status: --configuration-set, else LEADFLOW_SES_CONFIGURATION_SET, else ${configurationSetOf('STAGE')} for --stage.
Against the local stack: LEADFLOW_TABLE_NAME=leadflow-local AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000
ROLE is one of: ${ROLES.join(', ')}`;

/** Every queue of a stage is named `leadflow-<stage>-…` (the CDK app's resource prefix). */
function stackPrefix(stage: string): string {
  return `leadflow-${stage}-`;
}

function configurationSetOf(stage: string): string {
  return `leadflow-${stage}`;
}

function stageOf(values: { stage?: string }): string | undefined {
  return values.stage || process.env.LEADFLOW_STAGE || undefined;
}

async function table() {
  const name = process.env.LEADFLOW_TABLE_NAME;
  if (!name)
    throw new UsageError('Set LEADFLOW_TABLE_NAME to the table (the stateful stack output TableName).');
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { db, name };
}

class UsageError extends Error {}

/**
 * Errors whose message is for the person at the terminal (printed without a stack): these, and
 * the classes of command modules registered by `userErrors` when they load — an error of a class
 * can only be thrown once its module has loaded.
 */
const USER_ERRORS: (abstract new (...args: never[]) => Error)[] = [
  UsageError,
  CliError,
  EmailEventError,
  ImportCliError,
];
function userErrors(...classes: (abstract new (...args: never[]) => Error)[]) {
  USER_ERRORS.push(...classes);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string', default: 'config' },
        role: { type: 'string' },
        name: { type: 'string' },
        claim: { type: 'string' },
        outcome: { type: 'string' },
        note: { type: 'string' },
        reason: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        form: { type: 'string' },
        email: { type: 'string' },
        stage: { type: 'string' },
        prefix: { type: 'string' },
        wait: { type: 'boolean' },
        'configuration-set': { type: 'string' },
        link: { type: 'string' },
        map: { type: 'string', multiple: true },
        out: { type: 'string' },
        'consent-basis': { type: 'string' },
        'consent-text': { type: 'string' },
        'consent-source': { type: 'string' },
        'consent-date': { type: 'string' },
        'consent-column': { type: 'string' },
        'dry-run': { type: 'boolean' },
        since: { type: 'string' },
        resume: { type: 'boolean' },
        dlq: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help || positionals[0] === 'help') {
    console.log(USAGE);
    return;
  }
  const [group, command, arg] = positionals;
  // The JS SDK reads AWS_REGION only; the AWS CLI's AWS_DEFAULT_REGION works here too.
  process.env.AWS_REGION ??= process.env.AWS_DEFAULT_REGION;
  if (group === 'smoke' && !command) {
    const url = values.url || process.env.LEADFLOW_API_URL;
    const token = values.token || process.env.LEADFLOW_TOKEN;
    if (!url || !token)
      throw new UsageError(
        'smoke needs --url (or LEADFLOW_API_URL) and --token (or LEADFLOW_TOKEN): an admin token',
      );
    const ok = await smoke({ url, token, form: values.form, email: values.email }, (step) =>
      console.log(formatSmokeStep(step)),
    );
    console.log(ok ? 'smoke test passed' : 'smoke test FAILED');
    if (!ok) process.exitCode = 1;
    return;
  }
  if (group === 'import' && command) {
    const url = values.url || process.env.LEADFLOW_API_URL;
    const token = values.token || process.env.LEADFLOW_TOKEN;
    const basis = values['consent-basis'];
    if (!url || !token || !basis)
      throw new UsageError(
        'import needs --url (or LEADFLOW_API_URL), --token (or LEADFLOW_TOKEN) and --consent-basis',
      );
    const consent = {
      basis,
      ...(values['consent-text'] && { text: values['consent-text'] }),
      ...(values['consent-source'] && { proofSource: values['consent-source'] }),
      ...(values['consent-date'] && { givenAt: values['consent-date'] }),
    };
    const options = {
      url,
      token,
      file: command,
      map: values.map ?? [],
      consent,
      dryRun: values['dry-run'] === true,
    };
    const column = values['consent-column'];
    const view = await importFile(column ? { ...options, consentColumn: column } : options, (line) =>
      console.log(line),
    );
    if (view.status !== 'done') process.exitCode = 1;
    return;
  }
  if (group === 'dlq' && (command === 'list' || (command === 'redrive' && arg))) {
    const stage = stageOf(values);
    const prefix = values.prefix ?? (stage ? stackPrefix(stage) : undefined);
    if (!prefix) throw new UsageError('dlq needs --stage (or LEADFLOW_STAGE), or --prefix');
    const [{ SQSClient }, dlq] = await Promise.all([import('@aws-sdk/client-sqs'), import('./commands/dlq')]);
    userErrors(dlq.DlqError);
    const { findDeadLetterQueue, formatDeadLetterQueues, formatRedrive, listDeadLetterQueues, redrive } = dlq;
    const sqs = new SQSClient({});
    const dlqs = await listDeadLetterQueues(sqs, prefix);
    if (command === 'list') console.log(formatDeadLetterQueues(dlqs, prefix));
    else
      console.log(
        formatRedrive(await redrive(sqs, findDeadLetterQueue(dlqs, arg as string), { wait: values.wait })),
      );
    return;
  }
  if (group === 'ses' && command === 'status') {
    const stage = stageOf(values);
    const name =
      values['configuration-set'] ||
      process.env.LEADFLOW_SES_CONFIGURATION_SET ||
      (stage ? configurationSetOf(stage) : undefined);
    if (!name)
      throw new UsageError(
        'ses status needs --configuration-set (or LEADFLOW_SES_CONFIGURATION_SET), or --stage',
      );
    const [{ SESv2Client }, { sesStatus }] = await Promise.all([
      import('@aws-sdk/client-sesv2'),
      import('./commands/ses-status'),
    ]);
    const status = await sesStatus(new SESv2Client({}), name);
    console.log(status.lines.join('\n'));
    if (!status.sending) process.exitCode = 1;
    return;
  }
  if (group === 'email' && command === 'event' && arg && positionals[3]) {
    const url = values.url || process.env.LEADFLOW_API_URL || 'http://localhost:3000';
    console.log(await emitEmailEvent(url, arg, positionals[3], values.link));
    return;
  }
  if (group === 'config' && command === 'pull') {
    const [{ db, name }, { DynamoConfigStore }, { pullConfig }, { NURTURE_CONFIG_ID }, { SCORING_MODEL_ID }] =
      await Promise.all([
        table(),
        import('../functions/adapters/dynamodb/config-store'),
        import('../functions/adapters/files/config-pull'),
        import('../functions/adapters/dynamodb/nurture-configs'),
        import('../functions/adapters/dynamodb/scoring-models'),
      ]);
    userErrors((await import('../functions/adapters/files/config-dir')).ConfigError);
    const store = new DynamoConfigStore(db, name);
    const pulled = await pullConfig(resolve(values.dir ?? 'config'), (kind, id) => store.active(kind, id), {
      scoring: SCORING_MODEL_ID,
      nurture: NURTURE_CONFIG_ID,
    });
    for (const { file, outcome } of pulled) console.log(`${file}: ${outcome}`);
    const changed = pulled.filter((p) => p.outcome !== 'unchanged' && p.outcome !== 'no active version');
    console.log(
      `config pulled: ${changed.length} file(s) changed, ${pulled.length - changed.length} unchanged`,
    );
    return;
  }
  if (group === 'config' && (command === 'check' || command === 'push')) {
    const dir = resolve(values.dir ?? 'config');
    const [
      { ConfigError, readForms, readNurtureConfig, readScoringModel },
      { doubleOptInProblems },
      { cacheCompiledMjml },
    ] = await Promise.all([
      import('../functions/adapters/files/config-dir'),
      import('../functions/core/nurture/confirmation'),
      import('./commands/mjml-cache'),
    ]);
    userErrors(ConfigError);
    cacheCompiledMjml(import.meta.url);
    const forms = await readForms(dir);
    const scoring = await readScoringModel(dir);
    const nurture = await readNurtureConfig(dir);
    const optInProblems = doubleOptInProblems(forms, nurture?.config);
    if (optInProblems.length > 0) throw new ConfigError(join(dir, 'forms'), optInProblems);
    for (const warning of scoring?.warnings ?? []) console.warn(`warning: ${warning}`);
    for (const warning of nurture?.warnings ?? []) console.warn(`warning: ${warning}`);
    const sequences = nurture ? nurture.config.sequences.map((s) => s.id).join(', ') || 'none' : 'none';
    console.log(
      `config ok: forms ${forms.map((f) => f.id).join(', ')}; scoring model ${scoring ? 'yes' : 'none'}; ` +
        `sequences ${sequences}; templates ${nurture?.config.templates.length ?? 0}`,
    );
    if (command === 'check') return;
    const [
      { db, name },
      { DynamoConfigStore },
      { inActiveOrder },
      { NURTURE_CONFIG_ID },
      { SCORING_MODEL_ID },
    ] = await Promise.all([
      table(),
      import('../functions/adapters/dynamodb/config-store'),
      import('../functions/adapters/files/config-pull'),
      import('../functions/adapters/dynamodb/nurture-configs'),
      import('../functions/adapters/dynamodb/scoring-models'),
    ]);
    const store = new DynamoConfigStore(db, name);
    const said = (what: string, r: { version: number; changed: boolean }) =>
      console.log(
        `${what}: ${r.changed ? `published version ${r.version}` : `unchanged (version ${r.version})`}`,
      );
    const by = cliChangedBy();
    const at = new Date();
    for (const form of forms) said(`form ${form.id}`, await store.publish('form', form.id, form, at, by));
    if (nurture) {
      const active = await store.active('nurture', NURTURE_CONFIG_ID);
      const config = inActiveOrder(nurture.config, active?.document);
      said('nurture', await store.publish('nurture', NURTURE_CONFIG_ID, config, at, by));
    }
    if (scoring) {
      said('scoring model', await store.publish('scoring', SCORING_MODEL_ID, scoring.model, at, by));
      console.log(
        'New activity is scored with the active model at once; POST /v1/admin/scoring/versions/{v}/activate rescores stored leads.',
      );
    }
    return;
  }
  if (group === 'suppressions' && command === 'export') {
    const [{ db, name }, { exportSuppressions }, { createWriteStream }] = await Promise.all([
      table(),
      import('./commands/suppressions-export'),
      import('node:fs'),
    ]);
    const out = values.out ? createWriteStream(values.out) : process.stdout;
    const rows = await exportSuppressions(db, name, (csv) => out.write(csv));
    if (values.out) out.end();
    console.error(
      `${rows} suppression(s)${values.out ? ` written to ${values.out}` : ''}: keyed hashes, no addresses`,
    );
    return;
  }
  if (group === 'leads' && command === 'reindex') {
    const [{ db, name }, { formatReindex, reindexAll }] = await Promise.all([
      table(),
      import('./commands/leads-reindex'),
    ]);
    const totals = await reindexAll(db, name, (page, sum) =>
      console.log(`page ${sum.pages}: scanned ${page.scanned}, indexed ${page.indexed}`),
    );
    console.log(formatReindex(totals));
    return;
  }
  if (group === 'reports' && command === 'backfill') {
    const [{ db, name }, { backfillAll, formatBackfill }] = await Promise.all([
      table(),
      import('./commands/reports-backfill'),
    ]);
    const totals = await backfillAll(db, name, (page, sum) =>
      console.log(`page ${sum.pages}: scanned ${page.scanned}, queued ${page.keyed}`),
    );
    console.log(formatBackfill(totals));
    return;
  }
  if (group === 'webhooks' && command === 'redeliver' && arg) {
    const url = values.url || process.env.LEADFLOW_API_URL;
    const token = values.token || process.env.LEADFLOW_TOKEN;
    if (!url || !token)
      throw new UsageError(
        'webhooks redeliver needs --url (or LEADFLOW_API_URL) and --token (or LEADFLOW_TOKEN)',
      );
    const stage = stageOf(values);
    const prefix = values.prefix ?? (stage ? stackPrefix(stage) : undefined);
    if (values.dlq && !prefix) throw new UsageError('--dlq needs --stage (or LEADFLOW_STAGE), or --prefix');
    const { RedeliverError, redeliver } = await import('./commands/webhooks-redeliver');
    userErrors(RedeliverError);
    const options = { url, token, endpointId: arg, resume: values.resume, dryRun: values['dry-run'] };
    const plan = await redeliver(values.since ? { ...options, since: values.since } : options, (line) =>
      console.log(line),
    );
    if (!values.dlq || values['dry-run']) return;
    const [{ SQSClient }, dlq, { takeParkedOff }] = await Promise.all([
      import('@aws-sdk/client-sqs'),
      import('./commands/dlq'),
      import('./commands/webhooks-dlq'),
    ]);
    userErrors(dlq.DlqError);
    const sqs = new SQSClient({});
    const queue = dlq.findDeadLetterQueue(
      await dlq.listDeadLetterQueues(sqs, prefix as string),
      'integration-deliveries',
    );
    const taken = await takeParkedOff(sqs, queue.url, arg, plan.settled);
    console.log(
      `${queue.name}: took ${taken.removed} parked message(s) of this endpoint off; ${taken.left} left there`,
    );
    return;
  }
  if (group === 'webhooks' && command === 'replay' && arg) {
    // A replay derives lead ids: it needs the install's identity key (LEADFLOW_IDENTITY_KEY).
    await import('../functions/shared/identity');
    const [{ replayDelivery }, { webhookDeps }] = await Promise.all([
      import('../functions/core/webhooks/receive'),
      import('../functions/shared/wiring/webhooks'),
    ]);
    const result = await replayDelivery(webhookDeps(), arg);
    console.log(
      `replayed ${result.provider} delivery ${arg}: ${result.leads} lead(s) captured again (deduplicated)` +
        (result.erased > 0
          ? `; ${result.erased} not captured (erased since, or deleted on the platform)`
          : ''),
    );
    return;
  }
  if (group === 'sales') {
    const { map: _map, ...flags } = values;
    console.log(await salesCommand(command, positionals.slice(2), flags));
    return;
  }
  if (group === 'tokens' && command === 'create') {
    const role = values.role as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of: ${ROLES.join(', ')}`);
    if (!values.name) throw new UsageError('--name is required (who or what uses the token)');
    const [{ db, name }, { DynamoTokenStore }] = await Promise.all([
      table(),
      import('../functions/adapters/dynamodb/token-store'),
    ]);
    console.log(await new DynamoTokenStore(db, name).create(role, values.name));
    return;
  }
  if (group === 'tokens' && command === 'revoke' && arg) {
    const [{ db, name }, { DynamoTokenStore }] = await Promise.all([
      table(),
      import('../functions/adapters/dynamodb/token-store'),
    ]);
    await new DynamoTokenStore(db, name).revoke(arg);
    console.log('revoked (cached lookups expire within 60 s)');
    return;
  }
  throw new UsageError(USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const forUser = USER_ERRORS.some((type) => error instanceof type);
  if (forUser) console.error((error as Error).message);
  else console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(
    error instanceof UsageError || (error instanceof CliError && /^usage/.test(error.message)) ? 2 : 1,
  );
});

/**
 * Who a `config push` records as adding and activating versions: the CLI, with the operating
 * system's user name (there is no sign-in on the CLI; it works with AWS credentials).
 */
function cliChangedBy(): { name: string; username: string } {
  try {
    return { name: 'leadflow CLI', username: userInfo().username || 'cli' };
  } catch {
    return { name: 'leadflow CLI', username: 'cli' };
  }
}
