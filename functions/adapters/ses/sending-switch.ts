import { PutConfigurationSetSendingOptionsCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { SendingSwitch } from '../../core/consent/sending-pause';

/** SESv2's per-configuration-set sending switch. */
export class SesSendingSwitch implements SendingSwitch {
  constructor(private readonly ses: SESv2Client) {}

  async pause(configurationSet: string): Promise<void> {
    await this.ses.send(
      new PutConfigurationSetSendingOptionsCommand({
        ConfigurationSetName: configurationSet,
        SendingEnabled: false,
      }),
    );
  }
}
