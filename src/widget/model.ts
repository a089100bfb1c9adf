// What the view draws: the widget's state, and the actions the view can ask for.

import type { WebchatConfig, WidgetMessage, WidgetState, Attachment } from '../contracts/webchat';
import type { LinkStatus } from './connection';
import type { FieldProblem } from './fields';
import type { Lang } from './i18n';
import type { Pending } from './storage';

/** One bubble in the log: a server message, or one of ours not yet acknowledged. */
export interface Entry {
  /** `c:<clientId>` for the customer's own messages, `m:<id>` for the rest */
  key: string;
  msg?: WidgetMessage;
  pending?: Pending;
}

/** A file in the composer, before the message that carries it is sent. */
export interface Draft {
  id: string;
  name: string;
  attachment: Attachment | null;
}

export type FormKind = 'prechat' | 'leave' | 'unavailable' | null;

export interface Model {
  lang: Lang;
  config: WebchatConfig | null;
  unavailable: boolean;
  state: WidgetState;
  link: LinkStatus | 'idle';
  open: boolean;
  unread: number;
  typingName: string | null;
  notice: { text: string; error: boolean } | null;
  confirmEnd: boolean;
  drafts: Draft[];
  /** the entry whose menu buttons can still be pressed */
  activeOptionsKey: string | null;
  form: FormKind;
  /** prechat fields to ask (the service's, or those the server asked for) */
  prechatFields: WebchatConfig['prechat'];
  /** what the customer typed in the form last, and what the server found wrong in it */
  prechatValues: Record<string, string>;
  prechatErrors: Record<string, FieldProblem>;
  /** the composer can send: a conversation runs, or one starts with the first message */
  canWrite: boolean;
}

export interface Actions {
  toggle(open: boolean): void;
  send(text: string): boolean;
  pick(optionId: string, label: string): void;
  typing(): void;
  attach(files: FileList): void;
  removeDraft(id: string): void;
  askEnd(): void;
  confirmEnd(yes: boolean): void;
  submitPrechat(values: Record<string, string>): void;
  leaveMessage(values: Record<string, string>, text: string): void;
  newChat(): void;
  draftChanged(text: string): void;
}
