import { resolve } from 'node:path';
import { ROLES, type Role } from '../core/kernel/auth';
import { EVENTS_DIR_ENV } from '../shared/env-names';
import { startConnectorFakes } from './connector-fakes';
import { devTokenEnv, devTokenProblems, startLocalStack } from './stack';

/** `npm start`: the whole pipeline on this machine. Ports and tokens come from env when given. */
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const argument = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const dataDir = argument('--data');
// Raw timeline events in the S3 archive's layout (events/dt=.../shard=.../seq=....jsonl).
const eventsDir = argument('--events-dir') ?? process.env[EVENTS_DIR_ENV];

const tokens: Partial<Record<Role, string>> = {};
for (const role of ROLES) {
  const given = process.env[devTokenEnv(role)];
  if (given) tokens[role] = given;
}
const tokenProblems = devTokenProblems(tokens);
if (tokenProblems.length > 0) {
  console.error(`Cannot start: ${tokenProblems.join('\n')}`);
  process.exit(1);
}

const configDir = resolve(process.env.LEADFLOW_CONFIG_DIR ?? 'config');
// Slack and HubSpot fakes where config/integrations.yaml enables them (before the handlers load).
const connectors = await startConnectorFakes(configDir);
const stack = await startLocalStack({
  apiPort: port('LEADFLOW_API_PORT', 3000),
  dynamodbPort: port('LEADFLOW_DYNAMODB_PORT', 8000),
  sqsPort: port('LEADFLOW_SQS_PORT', 9324),
  sesPort: port('LEADFLOW_SES_PORT', 8005),
  authPort: port('LEADFLOW_AUTH_PORT', 3001),
  configDir,
  dataDir: dataDir ? resolve(dataDir) : undefined,
  eventsDir: eventsDir ? resolve(eventsDir) : undefined,
  tokens,
  emulators: 'apart',
});

const lines = [
  '',
  'Leadflow local stack is running (Ctrl-C stops it)',
  `  API          ${stack.apiUrl}/v1/health`,
  `  Demo forms   ${stack.apiUrl}/`,
  `  OpenAPI      ${stack.apiUrl}/v1/openapi.json`,
  `  Mailbox      ${stack.mailboxUrl}`,
  `  DynamoDB     ${stack.endpoints.dynamodb}  (table ${stack.tableName}${dataDir ? `, data in ${dataDir}` : ', in memory'})`,
  `  SQS          ${stack.endpoints.sqs}`,
  ...connectors.lines,
  ...(eventsDir ? [`  Events       ${resolve(eventsDir)}  (raw timeline events, as in the S3 archive)`] : []),
  `  Opens/clicks tracked in the mailbox's links; or npm run leadflow -- email event MESSAGE_ID open|click --url ${stack.apiUrl}`,
  `  Forms        ${stack.forms.map((f) => f.id).join(', ')}`,
  '  Tokens (local only; set LEADFLOW_DEV_TOKEN_<ROLE> to fix them):',
  ...ROLES.map((role) => `    ${role.toUpperCase().padEnd(14)} ${stack.tokens[role]}`),
  `  People (sign in at ${stack.apiUrl}/console; local only${dataDir ? '' : ', new passwords at every start without --data'}):`,
  ...stack.auth.users.map(
    (u) => `    ${u.username.padEnd(8)} ${u.name.padEnd(16)} ${u.group.padEnd(14)} ${u.password}`,
  ),
  `  Sign-in      ${stack.auth.issuer}  (local OpenID provider, client ${stack.auth.clientId})`,
  '',
  `Try: curl -s ${stack.apiUrl}/v1/admin/leads?email=ada@example.com -H "Authorization: Bearer ${stack.tokens.marketing}"`,
  '',
];
console.log(lines.join('\n'));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack...`);
  await stack.stop();
  await connectors.stop();
  console.log('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
