/** The parts of the nurture admin API the template pages use (GET /v1/admin/nurture and friends). */
export interface TemplateDoc {
  id: string;
  name?: string;
  subject: string;
  mjml?: string;
  html: string;
  text: string;
}

/** What the template editor changes of a template (the body: its MJML, or its HTML when written in HTML). */
export interface TemplateEdit {
  subject: string;
  body: string;
  text: string;
}

/** A template as the editor edits it. */
export const editOf = (template: TemplateDoc): TemplateEdit => ({
  subject: template.subject,
  body: template.mjml ?? template.html,
  text: template.text,
});

export interface NurtureDocument {
  templates: TemplateDoc[];
  [key: string]: unknown;
}

export interface NurtureVersions {
  active: { version: number; document: NurtureDocument } | null;
  versions: { version: number; createdAt: string; active?: boolean }[];
}

export interface Variable {
  name: string;
  group: 'lead' | 'custom' | 'email';
  description: string;
  example?: string;
}

export interface TemplateVariables {
  variables: Variable[];
  filters: string[];
}

export interface Preview {
  subject: string;
  html: string;
  text: string;
  warnings: { path: string; message: string }[];
  version: number;
}

/** The two preview widths: a desktop client's reading pane and a phone. */
export const WIDTHS = [
  { id: 'desktop', label: 'Desktop (640 px)', px: 640 },
  { id: 'phone', label: 'Phone (375 px)', px: 375 },
] as const;
export type WidthId = (typeof WIDTHS)[number]['id'];
