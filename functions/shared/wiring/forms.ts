import { NURTURE_CONFIG_ID } from '../../adapters/dynamodb/nurture-configs';
import type { Form } from '../../core/capture/form';
import type { FormAdminDeps } from '../../core/capture/form-admin';
import type { NurtureConfig } from '../../core/nurture/config-schema';
import { configStore } from './kernel';

/** The forms admin: form versions and the index of forms, uncached (it sees what is active now). */
export function formAdminDeps(): FormAdminDeps {
  const config = configStore();
  return {
    versionsOf: (formId) => config.versionsOf<Form>('form', formId),
    forms: () => config.index.list('form'),
    async nurture() {
      return (await config.active('nurture', NURTURE_CONFIG_ID))?.document as NurtureConfig | undefined;
    },
  };
}
