import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { completeSignIn, type Session, session, signIn, signOut } from './auth';
import { BroadcastPage, BroadcastsPage, NewBroadcastPage } from './broadcasts';
import { type ConsoleConfig, consoleConfig } from './config';
import { formOfPath, LazyForms } from './forms/lazy';
import { ImportPage } from './imports/page';
import { integrationOfPath, LazyIntegrations } from './integrations/lazy';
import { LeadPage } from './leads/lead-page';
import { LeadsPage } from './leads/list';
import { LazyReports, reportOfPath } from './reports/lazy';
import { type Rights, ROLE_LABELS, rights } from './roles';
import { interceptLinks, navigate, useLocation } from './router';
import { ManagerView, SalesInbox } from './sales';
import { isScoringPath, LazyScoring } from './scoring/lazy';
import { SegmentsRoute, segmentOfPath } from './segments';
import { LazySequences, sequenceOfPath } from './sequences/lazy';
import { LazyTemplates, templateOfPath } from './templates/lazy';

/** The console: sign-in, the top bar, navigation by role, and the page for the current path. */
export function App() {
  const { path, search } = useLocation();
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    consoleConfig().then(setConfig, (e: Error) =>
      setFailure(`The console could not load its settings: ${e.message}`),
    );
  }, []);

  if (failure) return <Notice title="Something went wrong">{failure}</Notice>;
  if (!config) return <p class="boot">Loading the console…</p>;
  if (path === '/console/callback') return <Callback />;
  const person = session();
  if (!person) return <SignIn configured={config.auth !== null} />;
  return <Shell person={person} path={path} search={search} />;
}

function Callback() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    if (params.get('error')) {
      setError(params.get('error_description') ?? params.get('error'));
      return;
    }
    completeSignIn().then(
      (to) => navigate(to, { replace: true }),
      (e: Error) => setError(e.message),
    );
  }, []);
  if (!error) return <p class="boot">Signing you in…</p>;
  return (
    <Notice title="Sign-in did not complete">
      <p>{error}</p>
      <button type="button" class="button primary" onClick={() => signIn('/console/')}>
        Sign in again
      </button>
    </Notice>
  );
}

function SignIn({ configured }: { configured: boolean }) {
  return (
    <main class="sign-in" id="main">
      <div class="card">
        <p class="brand-mark" aria-hidden="true">
          L
        </p>
        <h1>Leadflow Console</h1>
        {configured ? (
          <>
            <p>Browse leads, work the hot-lead inbox and see your team's claims.</p>
            <button type="button" class="button primary" onClick={() => signIn()}>
              Sign in
            </button>
          </>
        ) : (
          <p role="alert">
            Sign-in is not configured for this console: the API has no OpenID provider (set
            LEADFLOW_AUTH_ISSUER and LEADFLOW_AUTH_CLIENT_ID, or a Cognito user pool).
          </p>
        )}
      </div>
    </main>
  );
}

function Notice({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main class="sign-in" id="main">
      <div class="card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

interface NavItem {
  href: string;
  label: string;
  allowed: (r: Rights) => boolean;
}
const NAV: NavItem[] = [
  { href: '/console/leads', label: 'Leads', allowed: (r) => r.leads },
  { href: '/console/inbox', label: 'Inbox', allowed: (r) => r.inbox },
  { href: '/console/team', label: 'Team', allowed: (r) => r.team },
  { href: '/console/reports', label: 'Reports', allowed: (r) => r.reports },
  { href: '/console/broadcasts', label: 'Broadcasts', allowed: (r) => r.broadcasts },
  { href: '/console/segments', label: 'Segments', allowed: (r) => r.segments },
  { href: '/console/sequences', label: 'Sequences', allowed: (r) => r.sequences },
  { href: '/console/templates', label: 'Templates', allowed: (r) => r.templates },
  { href: '/console/scoring', label: 'Scoring', allowed: (r) => r.scoring },
  { href: '/console/forms', label: 'Forms', allowed: (r) => r.forms },
  { href: '/console/integrations', label: 'Integrations', allowed: (r) => r.integrations },
];

function Shell({ person, path, search }: { person: Session; path: string; search: URLSearchParams }) {
  const can = rights(person);
  const items = NAV.filter((item) => item.allowed(can));
  const home = items[0]?.href;
  useEffect(() => {
    if ((path === '/console' || path === '/') && home) navigate(home, { replace: true });
  }, [path, home]);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // After a navigation, focus goes to the new page (screen readers announce it); not on first load.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);

  const roleText = person.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'No role';
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: delegates link clicks to the router; every link stays a link
    // biome-ignore lint/a11y/useKeyWithClickEvents: Enter on a link fires click, so the keyboard takes the same path
    <div class="shell" onClick={interceptLinks}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={home ?? '/console/'}>
          <span class="brand-mark" aria-hidden="true">
            L
          </span>
          Leadflow
        </a>
        <nav aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={path.startsWith(item.href) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="who-name">{person.name}</span>
          <span class="who-role">{roleText}</span>
          <button type="button" class="button quiet" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page path={path} search={search} can={can} />
      </main>
    </div>
  );
}

function Page({ path, search, can }: { path: string; search: URLSearchParams; can: Rights }) {
  const lead = /^\/console\/leads\/([^/]+)$/.exec(path);
  if (path === '/console/leads' && can.leads)
    return <LeadsPage search={search} canImport={can.importLeads} />;
  if (path === '/console/leads/import' && can.importLeads) return <ImportPage />;
  if (lead?.[1] && lead[1] !== 'import' && can.viewLead)
    return <LeadPage leadId={decodeURIComponent(lead[1])} can={can} />;
  if (path === '/console/inbox' && can.inbox) return <SalesInbox />;
  const broadcast = /^\/console\/broadcasts\/([^/]+)$/.exec(path);
  if (path === '/console/broadcasts' && can.broadcasts) return <BroadcastsPage search={search} />;
  if (path === '/console/broadcasts/new' && can.broadcasts) return <NewBroadcastPage />;
  if (broadcast?.[1] && can.broadcasts)
    return <BroadcastPage broadcastId={decodeURIComponent(broadcast[1])} />;
  if (path === '/console/team' && can.team) return <ManagerView />;
  const segment = segmentOfPath(path);
  if (segment && can.segments) return <SegmentsRoute segmentId={segment.segmentId} />;
  const sequence = sequenceOfPath(path);
  if (sequence && can.sequences) return <LazySequences {...sequence} />;
  const template = templateOfPath(path);
  if (template && can.templates) return <LazyTemplates templateId={template.templateId} />;
  if (isScoringPath(path) && can.scoring) return <LazyScoring />;
  const form = formOfPath(path);
  if (form && can.forms) return <LazyForms formId={form.formId} />;
  const integration = integrationOfPath(path);
  if (integration && can.integrations) return <LazyIntegrations endpointId={integration.endpointId} />;
  const report = reportOfPath(path);
  if (report && can.reports) return <LazyReports report={report} search={search} />;
  if (path === '/console' || path === '/')
    return (
      <section class="page">
        <h1 tabIndex={-1}>Welcome</h1>
        <p class="empty">Your account has no console role yet. Ask an admin to add you to a group.</p>
      </section>
    );
  return (
    <section class="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <p class="empty">
        There is no page here for your role.{' '}
        <a href={NAV.find((n) => n.allowed(can))?.href ?? '/console/'}>Go to the start page</a>.
      </p>
    </section>
  );
}
