import { buildApp } from './build-app';

// Synthesized by the CDK CLI (cdk.json: "app": "npx tsx infra/app.ts"), which synths on exit.
buildApp();
