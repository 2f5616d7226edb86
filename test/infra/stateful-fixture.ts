import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { PROD, SKIP_BUNDLING } from './support';

export interface StatefulTemplates {
  /** The dev app (throwaway data), whose constructs give the logical ids. */
  readonly devApp: LeadflowApp;
  readonly dev: Template;
  /** A protected stage: data kept when the stack lets go of it. */
  readonly prod: Template;
}

/** The stateful stack of a dev and a prod app, built without bundling (the tests look at the template only). */
export function buildStatefulTemplates(): StatefulTemplates {
  const devApp = buildApp({ stage: 'dev', context: SKIP_BUNDLING });
  return {
    devApp,
    dev: Template.fromStack(devApp.stateful),
    prod: Template.fromStack(buildApp(PROD).stateful),
  };
}
