import { z } from 'zod';
import { ChannelAccount, Classification, PauseReason, SavedChannelAccount, Service, Team, Template, TemplateCategory, User } from './admin.js';
import { ConversationPage } from './analysis.js';
import { EndedSessions, Me } from './auth.js';
import { ErrorBody } from './common.js';
import { AgentView, ConversationView, MessageView, WhisperView } from './conversations.js';
import { Setting } from './settings.js';
import { WrapupFieldList } from './wrapup-fields.js';

/**
 * The schemas the OpenAPI document shows once, under components.schemas, and the routes `$ref`: the
 * ones more than one route answers with (the error body, the views, the resources of the CRUD routes,
 * the pages). Their names are the ones the typed client exports (`Schemas['ConversationView']`).
 * Not for query strings or path parameters: @fastify/swagger spreads those into parameters and cannot
 * follow a `$ref` there.
 */
export const SCHEMA_COMPONENTS = {
  ErrorBody,
  Me,
  EndedSessions,
  User,
  Team,
  ChannelAccount,
  SavedChannelAccount,
  Service,
  PauseReason,
  Classification,
  TemplateCategory,
  Template,
  Setting,
  WrapupFieldList,
  ConversationView,
  MessageView,
  WhisperView,
  AgentView,
  ConversationPage,
} satisfies Record<string, z.ZodType>;

/**
 * Names each component in zod's global registry, where fastify-type-provider-zod's transforms look
 * for ids (a schema with an id becomes `$ref: #/components/schemas/<id>`); its description stays.
 * Registering again (another app in the same process) changes nothing.
 */
export function registerSchemaComponents(): void {
  for (const [id, schema] of Object.entries(SCHEMA_COMPONENTS)) {
    z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
  }
}
