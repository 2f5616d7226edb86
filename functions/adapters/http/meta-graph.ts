import type { MetaGraph } from '../../core/webhooks/ports';

/** The Graph API over fetch: GET {base}/{version}/{leadgen_id}, with a timeout, never logging the token. */
export class HttpMetaGraph implements MetaGraph {
  constructor(
    private readonly baseUrl: string,
    private readonly version: string,
    private readonly accessToken: () => Promise<string | undefined>,
    private readonly timeoutMs = 5000,
  ) {}

  async lead(leadgenId: string): Promise<unknown> {
    const token = await this.accessToken();
    const url = new URL(
      `${this.baseUrl.replace(/\/$/, '')}/${this.version}/${encodeURIComponent(leadgenId)}`,
    );
    url.searchParams.set('fields', 'created_time,field_data,campaign_id,ad_id,form_id');
    const res = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`Graph API answered ${res.status} for a lead`);
    return res.json();
  }
}
