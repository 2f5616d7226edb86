import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { buildStatefulTemplates } from './stateful-fixture';
import { logicalIdOf, PROD, resourceOf, SYNTH_TIMEOUT } from './support';

describe('stateful stack: secrets', SYNTH_TIMEOUT, () => {
  let devApp: LeadflowApp;
  let dev: Template;

  beforeAll(() => {
    ({ devApp, dev } = buildStatefulTemplates());
  }, SYNTH_TIMEOUT.timeout);

  describe('webhook secrets', () => {
    const secretId = () => logicalIdOf(devApp.stateful.webhookSecrets);

    it('is one Secrets Manager secret named leadflow-<stage>/webhooks', () => {
      expect(
        Object.keys(
          dev.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'leadflow-dev/webhooks' } }),
        ),
      ).toEqual([secretId()]);
    });

    it("starts with every key the functions read: the platforms' values empty, the Meta verify token generated", () => {
      const { GenerateSecretString } = resourceOf(dev, secretId()).Properties as {
        GenerateSecretString: { SecretStringTemplate: string; GenerateStringKey: string };
      };
      const template = JSON.parse(GenerateSecretString.SecretStringTemplate) as Record<string, string>;
      expect([...Object.keys(template), GenerateSecretString.GenerateStringKey].sort()).toEqual(
        [
          'META_APP_SECRET',
          'META_VERIFY_TOKEN',
          'META_ACCESS_TOKEN',
          'GOOGLE_ADS_WEBHOOK_KEY',
          'LINKEDIN_CLIENT_SECRET',
          'LINKEDIN_ACCESS_TOKEN',
          'TIKTOK_WEBHOOK_SECRET',
        ].sort(),
      );
      expect(Object.values(template).every((value) => value === '')).toBe(true);
      // Meta sends it back in a query string: letters and digits only.
      expect(GenerateSecretString).toMatchObject({
        GenerateStringKey: 'META_VERIFY_TOKEN',
        ExcludePunctuation: true,
        IncludeSpace: false,
      });
    });

    it('encrypts with the AWS-managed key, so readers need no KMS grant', () => {
      expect(resourceOf(dev, secretId()).Properties.KmsKeyId).toBeUndefined();
    });

    it("keeps the operators' values when a protected (non-dev) stack lets go of the secret", () => {
      const { stateful } = buildApp(PROD);
      expect(
        Template.fromStack(stateful).toJSON().Resources[logicalIdOf(stateful.webhookSecrets)],
      ).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(dev.toJSON().Resources[secretId()]).toMatchObject({ DeletionPolicy: 'Delete' });
    });

    it("outputs the secret name, for operators to put the platforms' values in", () => {
      dev.hasOutput('WebhookSecretsName', { Value: 'leadflow-dev/webhooks' });
    });
  });

  describe('identity key', () => {
    const secretId = () => logicalIdOf(devApp.stateful.identityKey);

    it('is one Secrets Manager secret named leadflow-<stage>/identity: 64 letters and digits, generated once', () => {
      expect(
        Object.keys(
          dev.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'leadflow-dev/identity' } }),
        ),
      ).toEqual([secretId()]);
      expect(resourceOf(dev, secretId()).Properties.GenerateSecretString).toEqual({
        ExcludePunctuation: true,
        IncludeSpace: false,
        PasswordLength: 64,
      });
    });

    it('is kept whatever the stage, and never rotated: every lead id and suppression key derives from it', () => {
      expect(resourceOf(dev, secretId())).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      dev.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    });
  });

  describe('signing secrets', () => {
    const secretId = () => logicalIdOf(devApp.stateful.signingSecrets);

    it('is one Secrets Manager secret named leadflow-<stage>/signing', () => {
      expect(
        Object.keys(
          dev.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'leadflow-dev/signing' } }),
        ),
      ).toEqual([secretId()]);
    });

    it('generates UNSUBSCRIBE_KEY once: 64 letters and digits in a JSON object', () => {
      expect(resourceOf(dev, secretId()).Properties.GenerateSecretString).toEqual({
        SecretStringTemplate: '{}',
        GenerateStringKey: 'UNSUBSCRIBE_KEY',
        ExcludePunctuation: true,
        PasswordLength: 64,
      });
    });

    it('encrypts with the AWS-managed key and has no rotation: a rotated key would break links already sent', () => {
      expect(resourceOf(dev, secretId()).Properties.KmsKeyId).toBeUndefined();
      dev.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    });

    it('keeps the key when a protected (non-dev) stack lets go of the secret, so links already sent keep working', () => {
      const { stateful } = buildApp(PROD);
      expect(
        Template.fromStack(stateful).toJSON().Resources[logicalIdOf(stateful.signingSecrets)],
      ).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(dev.toJSON().Resources[secretId()]).toMatchObject({ DeletionPolicy: 'Delete' });
    });
  });
});
