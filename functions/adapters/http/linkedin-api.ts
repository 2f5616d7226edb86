import type { LinkedinApi } from '../../core/webhooks/ports';

/**
 * LinkedIn's versioned REST API over fetch (Rest.li 2.0, `LinkedIn-Version: YYYYMM`): the Lead Sync
 * form responses and forms, with a timeout, never logging the token or the answers.
 */
export class HttpLinkedinApi implements LinkedinApi {
  constructor(
    private readonly baseUrl: string,
    private readonly version: string,
    private readonly accessToken: () => Promise<string | undefined>,
    private readonly timeoutMs = 5000,
  ) {}

  formResponse(responseId: string): Promise<unknown> {
    return this.get(`/rest/leadFormResponses/${encodeURIComponent(responseId)}`, 'a form response');
  }

  leadForm(formId: string): Promise<unknown> {
    return this.get(`/rest/leadForms/${encodeURIComponent(formId)}`, 'a lead form');
  }

  private async get(path: string, what: string): Promise<unknown> {
    const token = await this.accessToken();
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
      headers: {
        accept: 'application/json',
        'linkedin-version': this.version,
        'x-restli-protocol-version': '2.0.0',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`LinkedIn API answered ${res.status} for ${what}`);
    return res.json();
  }
}
