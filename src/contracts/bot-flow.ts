import { z } from 'zod';

/**
 * The JSON shape of a service's bot flow (core/bot-flow.ts holds the model and its meaning). This is
 * only the shape: a flow that parses here is then checked by the core's validateFlow (unreachable and
 * dead-end steps, missing references, ambiguous options…) before a service is saved.
 */

const StepId = z.string().min(1).max(64);
const Text = z.string().max(4096);
const MaxAttempts = z.number().int().optional();

export const BOT_FIELD_KINDS = ['name', 'cpf', 'email', 'phone', 'order_number', 'text'] as const;

const MenuOption = z.strictObject({
  id: z.string().max(64),
  label: z.string().max(200),
  keywords: z.array(z.string().max(100)).max(50).optional().describe('extra words that pick this option on text channels'),
  next: StepId,
});

export const BotStepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('message'), text: Text, next: StepId }),
  z.strictObject({ kind: z.literal('answer'), text: Text, next: StepId }),
  z.strictObject({
    kind: z.literal('menu'),
    text: Text,
    options: z.array(MenuOption).max(20),
    retryText: Text.optional(),
    onFail: StepId.optional(),
    maxAttempts: MaxAttempts,
  }),
  z.strictObject({
    kind: z.literal('question'),
    text: Text,
    field: z.enum(BOT_FIELD_KINDS),
    saveAs: z.string().max(40).optional(),
    retryText: Text,
    maxAttempts: MaxAttempts,
    next: StepId,
    onFail: StepId,
  }),
  z.strictObject({ kind: z.literal('transfer'), serviceId: z.string().max(64).optional().describe('absent: the flow’s own service'), text: Text.optional() }),
  z.strictObject({ kind: z.literal('end'), text: Text }),
]);

export const BotFlowSchema = z.strictObject({
  version: z.literal(1),
  start: StepId,
  steps: z.record(StepId, BotStepSchema).refine((s) => Object.keys(s).length <= 200, 'at most 200 steps'),
});
export type BotFlowJson = z.infer<typeof BotFlowSchema>;
