/**
 * The Block Kit subset Leadflow posts, with Slack's documented limits enforced here so a message
 * is never refused for its size. Typed by hand rather than with @slack/types: four block kinds are
 * all we build, and a types-only package would add a dependency for a few lines.
 */
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}
export type Block =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] }
  | {
      type: 'actions';
      elements: {
        type: 'button';
        text: PlainText;
        url: string;
        style?: 'primary' | 'danger';
        action_id: string;
      }[];
    };

/** A chat.postMessage body (the channel is left out for an incoming webhook, which has its own). */
export interface SlackMessage {
  channel?: string;
  /** The notification and screen-reader fallback for the blocks. */
  text: string;
  blocks: Block[];
  unfurl_links?: boolean;
}

/** Slack's documented limits (api.slack.com/reference/block-kit/blocks, chat.postMessage). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  actionElements: 25,
  /** Slack truncates `text` past 40,000 characters and advises at most 4,000. */
  messageText: 4000,
} as const;

/** Cuts `text` to `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** mrkdwn control characters escaped as Slack asks, so a lead's name cannot @-mention a channel or forge a link. */
export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The message with every limit applied (blocks, texts, fields, elements, button texts). */
export function withinLimits(message: SlackMessage): SlackMessage {
  const L = SLACK_LIMITS;
  const blocks = message.blocks.slice(0, L.blocks).map((block): Block => {
    switch (block.type) {
      case 'header':
        return { ...block, text: { ...block.text, text: clip(block.text.text, L.headerText) } };
      case 'section':
        return {
          ...block,
          ...(block.text ? { text: { ...block.text, text: clip(block.text.text, L.sectionText) } } : {}),
          ...(block.fields
            ? {
                fields: block.fields
                  .slice(0, L.fields)
                  .map((f) => ({ ...f, text: clip(f.text, L.fieldText) })),
              }
            : {}),
        };
      case 'context':
        return {
          ...block,
          elements: block.elements
            .slice(0, L.contextElements)
            .map((e) => ({ ...e, text: clip(e.text, L.sectionText) })),
        };
      default: // actions
        return {
          ...block,
          elements: block.elements
            .slice(0, L.actionElements)
            .filter((button) => button.url.length <= L.buttonUrl)
            .map((button) => ({
              ...button,
              text: { ...button.text, text: clip(button.text.text, L.buttonText) },
            })),
        };
    }
  });
  return { ...message, text: clip(message.text, L.messageText), blocks };
}
