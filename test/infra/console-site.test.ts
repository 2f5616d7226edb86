import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { ConsoleHosting } from '../../infra/constructs/console-hosting';
import { SYNTH_TIMEOUT } from './support';

/** A distribution in front of an API, as the public edge makes it, with the console added. */
function synthConsole() {
  const app = new App();
  const stack = new Stack(app, 'ConsoleSite', { env: { account: '111111111111', region: 'us-east-1' } });
  const distribution = new cloudfront.Distribution(stack, 'Distribution', {
    defaultBehavior: { origin: new HttpOrigin('abc123.execute-api.us-east-1.amazonaws.com') },
  });
  const hosting = new ConsoleHosting(stack, 'Console', {
    distribution,
    accessLogs: new s3.Bucket(stack, 'Logs'),
    url: 'https://api.example.com/',
    signIn: {
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
      clientId: '4lq6e1v0example',
      domainUrl: 'https://leadflow-prod.auth.us-east-1.amazoncognito.com',
      scopes: ['openid', 'email', 'profile'],
    },
  });
  const outdir = app.synth().directory;
  return { hosting, outdir, template: Template.fromStack(stack) };
}

describe('the console build deployed by synth', SYNTH_TIMEOUT, () => {
  it('builds console/src with esbuild into the deploy asset: index.html and the hashed files it loads', () => {
    const { outdir, template } = synthConsole();
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')) as {
      Properties: { SourceObjectKeys: string[]; Exclude: string[] };
    }[];
    const assets = deployments.find((d) => d.Properties.Exclude[0] === 'index.html');
    const key = assets?.Properties.SourceObjectKeys[0] ?? '';
    const site = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);

    const index = readFileSync(join(site, 'index.html'), 'utf8');
    const loaded = [...index.matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    expect(loaded).toEqual([
      expect.stringMatching(/^styles-[A-Z0-9]+\.css$/),
      expect.stringMatching(/^app-[A-Z0-9]+\.js$/),
    ]);
    for (const file of loaded) expect(existsSync(join(site, 'assets', file)), file).toBe(true);
    expect(readdirSync(site).sort()).toEqual(['assets', 'index.html']);
    // Minified, no source maps: what the browser gets.
    expect(readdirSync(join(site, 'assets')).some((f) => f.endsWith('.map'))).toBe(false);
  });

  it('writes config.json with literal values as they are, the API at the public URL without a trailing slash', () => {
    const { hosting } = synthConsole();
    expect(hosting.config).toEqual({
      apiUrl: 'https://api.example.com',
      auth: {
        kind: 'cognito',
        issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
        clientId: '4lq6e1v0example',
        scopes: ['openid', 'email', 'profile'],
        domain: 'https://leadflow-prod.auth.us-east-1.amazoncognito.com',
        authorizationEndpoint: 'https://leadflow-prod.auth.us-east-1.amazoncognito.com/oauth2/authorize',
        tokenEndpoint: 'https://leadflow-prod.auth.us-east-1.amazoncognito.com/oauth2/token',
        revocationEndpoint: 'https://leadflow-prod.auth.us-east-1.amazoncognito.com/oauth2/revoke',
        logoutEndpoint: 'https://leadflow-prod.auth.us-east-1.amazoncognito.com/logout',
      },
    });
  });
});
