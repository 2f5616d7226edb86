#!/usr/bin/env -S node --import tsx
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoConfigStore } from '../functions/adapters/dynamodb/config-store';
import { DynamoTokenStore } from '../functions/adapters/dynamodb/token-store';
import { ConfigError, readForms } from '../functions/adapters/files/config-dir';
import { ROLES, type Role } from '../functions/core/auth';

const USAGE = `leadflow — operator commands (direct table access with your AWS credentials)

  leadflow config push [--dir config]            validate config/ and publish changed forms as new versions
  leadflow config check [--dir config]           validate config/ only
  leadflow tokens create --role ROLE --name NAME  print a new API token (shown once; stored as SHA-256)
  leadflow tokens revoke TOKEN                    revoke a token

Env: LEADFLOW_TABLE_NAME (the stateful stack's TableName output), AWS credentials and region.
Against the local stack: LEADFLOW_TABLE_NAME=leadflow-local AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000
ROLE is one of: ${ROLES.join(', ')}`;

function table() {
  const name = process.env.LEADFLOW_TABLE_NAME;
  if (!name)
    throw new UsageError('Set LEADFLOW_TABLE_NAME to the table (the stateful stack output TableName).');
  process.env.AWS_REGION ??= process.env.AWS_DEFAULT_REGION;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { db, name };
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: 'config' },
      role: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const [group, command, arg] = positionals;
  if (group === 'config' && (command === 'check' || command === 'push')) {
    const forms = await readForms(resolve(values.dir ?? 'config'));
    console.log(`config ok: forms ${forms.map((f) => f.id).join(', ')}`);
    if (command === 'check') return;
    const { db, name } = table();
    const store = new DynamoConfigStore(db, name);
    for (const form of forms) {
      const { version, changed } = await store.publish('form', form.id, form);
      console.log(
        `form ${form.id}: ${changed ? `published version ${version}` : `unchanged (version ${version})`}`,
      );
    }
    return;
  }
  if (group === 'tokens' && command === 'create') {
    const role = values.role as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of: ${ROLES.join(', ')}`);
    if (!values.name) throw new UsageError('--name is required (who or what uses the token)');
    const { db, name } = table();
    console.log(await new DynamoTokenStore(db, name).create(role, values.name));
    return;
  }
  if (group === 'tokens' && command === 'revoke' && arg) {
    const { db, name } = table();
    await new DynamoTokenStore(db, name).revoke(arg);
    console.log('revoked (cached lookups expire within 60 s)');
    return;
  }
  throw new UsageError(USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
  else console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
