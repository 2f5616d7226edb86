import { NURTURE_CONFIG_ID } from '../../adapters/dynamodb/nurture-configs';
import { DynamoRollupStore } from '../../adapters/dynamodb/report-rollups';
import type { Form } from '../../core/capture/form';
import type { FormAdminDeps } from '../../core/capture/form-admin';
import type { NurtureConfig } from '../../core/nurture/config-schema';
import { formCapturesLastWeek } from '../../core/reports/form-captures';
import { dynamo } from '../aws/dynamodb';
import { clock, configStore, tableName } from './kernel';
import { reportTimeZone } from './reports';

/**
 * The forms admin: form versions and the index of forms, uncached (it sees what is active now), and
 * the sources report's rollup for each form's submissions this week.
 */
export function formAdminDeps(): FormAdminDeps {
  const config = configStore();
  const report = { rollups: new DynamoRollupStore(dynamo, tableName()), clock, timeZone: reportTimeZone() };
  return {
    versionsOf: (formId) => config.versionsOf<Form>('form', formId),
    forms: () => config.index.list('form'),
    async nurture() {
      return (await config.active('nurture', NURTURE_CONFIG_ID))?.document as NurtureConfig | undefined;
    },
    capturesLastWeek: () => formCapturesLastWeek(report),
  };
}
