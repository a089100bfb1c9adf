import { describe, expect, it } from 'vitest';
import type { BotFlow, BotStep } from './bot-flow.js';
import { SAMPLE_FLOW_PT_BR } from './bot-flow-sample.js';
import { renderText } from './bot-flow-text.js';
import { DEFAULT_MENU_RETRY_TEXT, startFlow, step, type BotAdvance, type BotInput, type BotRunResult, type BotState } from './bot-runner.js';
import { deepFreeze } from './bot-flow.test-support.js';

const ctx = { serviceId: 'svc-sac', protocol: '20250601-000042' };
const flow = deepFreeze(SAMPLE_FLOW_PT_BR);

const ok = (result: BotRunResult): BotAdvance => {
  if (!result.ok) throw result.error;
  return deepFreeze(result);
};
const text = (t: string): BotInput => ({ kind: 'text', text: t });
const option = (optionId: string): BotInput => ({ kind: 'option', optionId });
/** Starts the sample flow and feeds it the inputs, returning the last advance. */
const run = (...inputs: BotInput[]): BotAdvance =>
  inputs.reduce((last, input) => ok(step(flow, last.state, input, ctx)), ok(startFlow(flow, ctx)));
const texts = (a: BotAdvance): string[] => a.outputs.map((o) => o.text);

describe('the sample flow', () => {
  it('greets with the protocol and shows the main menu as buttons', () => {
    const start = run();
    expect(texts(start)[0]).toContain('20250601-000042');
    expect(start.outputs[1].options?.map((o) => o.label)).toEqual(['Financeiro', 'Suporte técnico', 'Horário de atendimento', 'Falar com atendente', 'Encerrar']);
    expect(start.state).toEqual({ stepId: 'menu_principal', attempts: 0, fields: {}, visited: 2, finished: false });
    expect(start.outcome).toBeNull();
  });

  it('renders the menu as numbered text for text-only channels', () => {
    expect(renderText(run().outputs[1], 'numbered')).toBe(
      'Como podemos ajudar? Escolha uma opção:\n1 - Financeiro\n2 - Suporte técnico\n3 - Horário de atendimento\n4 - Falar com atendente\n5 - Encerrar',
    );
  });

  it('accepts the number, the label or a keyword, typed any way', () => {
    for (const answer of ['1', 'financeiro', 'Financeiro ', 'FINANCEIRO', 'boleto', 'quero a segunda via']) {
      expect(run(text(answer)).state.stepId, answer).toBe('menu_financeiro');
    }
    expect(run(option('financeiro')).state.stepId).toBe('menu_financeiro');
  });

  it('segunda via: asks the CPF, re-asks on a bad one, then transfers to this service with the CPF kept', () => {
    const asked = run(text('1'), option('segunda_via'));
    expect(texts(asked)).toEqual(['Para localizar seus boletos, informe o CPF do titular (somente números).']);
    const bad = ok(step(flow, asked.state, text('111.111.111-11'), ctx));
    expect(bad.state).toMatchObject({ stepId: 'pedir_cpf', attempts: 1 });
    expect(texts(bad)[0]).toContain('não parece válido');
    const done = ok(step(flow, bad.state, text('529.982.247-25'), ctx));
    expect(done.outcome).toEqual({ type: 'transfer', serviceId: 'svc-sac' });
    expect(done.state).toMatchObject({ stepId: 'transferir_boleto', finished: true, fields: { cpf: '52998224725' } });
    expect(texts(done)).toHaveLength(1);
  });

  it('after three bad CPFs, still reaches a person (no data required)', () => {
    const asked = run(text('1'), text('segunda via'));
    const last = [1, 2, 3].reduce((a) => ok(step(flow, a.state, text('123'), ctx)), asked);
    expect(last.outcome).toEqual({ type: 'transfer', serviceId: 'svc-sac' });
    expect(texts(last)).toEqual([
      'Não conseguimos validar o CPF, mas tudo bem: um atendente vai ajudar você.',
      'Vamos transferir você para o financeiro. Aguarde um instante.',
    ]);
    expect(last.state.fields).toEqual({});
  });

  it('horário: the answer and the menu again arrive together', () => {
    const a = run(text('horario'));
    expect(texts(a)[0]).toContain('segunda a sexta');
    expect(a.outputs[1].options).toHaveLength(5);
    expect(a.state).toMatchObject({ stepId: 'menu_principal', attempts: 0, finished: false });
    expect(a.outcome).toBeNull();
  });

  it('suporte and atendente transfer; encerrar ends in the bot with the protocol', () => {
    expect(run(text('2')).outcome).toEqual({ type: 'transfer', serviceId: 'svc-sac' });
    expect(run(text('falar com atendente')).outcome).toEqual({ type: 'transfer', serviceId: 'svc-sac' });
    const end = run(option('encerrar'));
    expect(end.outcome).toEqual({ type: 'end' });
    expect(texts(end)).toEqual(['Obrigado pelo contato! Seu protocolo é 20250601-000042. Até logo.']);
  });

  it('anything else re-asks the menu after a short line, and keeps counting', () => {
    const once = run(text('bom dia'));
    expect(texts(once)).toEqual([DEFAULT_MENU_RETRY_TEXT, 'Como podemos ajudar? Escolha uma opção:']);
    expect(once.outputs[1].options).toHaveLength(5);
    expect(once.state).toMatchObject({ stepId: 'menu_principal', attempts: 1 });
    // No onFail on this menu: it keeps asking (the engine's timeout ends an idle customer).
    expect(run(text('?'), option('nada'), text('9'), text('')).state).toMatchObject({ stepId: 'menu_principal', attempts: 4 });
  });

  it('says which option an answer chose (number, label, keyword, button), and none for a bad answer, a question or the start', () => {
    const financeiro = { id: 'financeiro', label: 'Financeiro' };
    for (const input of [text('1'), text('FINANCEIRO'), text('quero a segunda via'), option('financeiro')]) {
      expect(run(input).choice, JSON.stringify(input)).toEqual(financeiro);
    }
    expect(run(text('4')).choice).toEqual({ id: 'atendente', label: 'Falar com atendente' });
    expect(run(text('voltar ao menu')).choice).toBeUndefined();
    expect(run(text('bom dia')).choice).toBeUndefined();
    expect(run(option('nada')).choice).toBeUndefined();
    expect(run().choice).toBeUndefined();
    // the second menu's choice, then the CPF question's answer (no option)
    expect(run(text('1'), text('1')).choice).toEqual({ id: 'segunda_via', label: 'Segunda via de boleto' });
    expect(run(text('1'), text('1'), text('123.456.789-09')).choice).toBeUndefined();
  });

  it('a good answer resets the attempts; "voltar" returns to the main menu', () => {
    const back = run(text('x'), text('1'), text('voltar'));
    expect(back.state).toMatchObject({ stepId: 'menu_principal', attempts: 0 });
  });
});

describe('the runner on other flows', () => {
  const flowOf = (steps: Record<string, BotStep>, start = 'a'): BotFlow => deepFreeze({ version: 1, start, steps });

  it('a menu with onFail leaves after maxAttempts bad answers', () => {
    const f = flowOf({
      a: { kind: 'menu', text: 'Escolha', retryText: 'Hã?', maxAttempts: 2, onFail: 'z', options: [{ id: 'x', label: 'Sim', next: 'z' }] },
      z: { kind: 'transfer', serviceId: 'svc-outro' },
    });
    const first = ok(step(f, ok(startFlow(f, ctx)).state, text('não'), ctx));
    expect(texts(first)).toEqual(['Hã?', 'Escolha']);
    const second = ok(step(f, first.state, text('não'), ctx));
    expect(second.outcome).toEqual({ type: 'transfer', serviceId: 'svc-outro' });
    expect(second.outputs).toEqual([]);
  });

  it('saveAs keys, placeholders from earlier answers, and a button press on a question counts as a bad answer', () => {
    const f = flowOf({
      a: { kind: 'question', text: 'Seu nome?', field: 'name', saveAs: 'nome', retryText: 'Só o nome, por favor.', next: 'b', onFail: 'z' },
      b: { kind: 'question', text: 'Obrigado, {{field.nome}}. Qual o pedido?', field: 'order_number', retryText: 'Pedido inválido.', maxAttempts: 1, next: 'z', onFail: 'z' },
      z: { kind: 'end', text: '{{field.nome}}, pedido {{field.order_number}}: protocolo {{protocol}}.' },
    });
    const started = ok(startFlow(f, ctx));
    const pressed = ok(step(f, started.state, option('x'), ctx));
    expect(pressed.state).toMatchObject({ stepId: 'a', attempts: 1 });
    const named = ok(step(f, pressed.state, text(' Ana  Lúcia '), ctx));
    expect(texts(named)).toEqual(['Obrigado, Ana Lúcia. Qual o pedido?']);
    const done = ok(step(f, named.state, text('#ab-77'), ctx));
    expect(texts(done)).toEqual(['Ana Lúcia, pedido AB-77: protocolo 20250601-000042.']);
    expect(done.state.fields).toEqual({ nome: 'Ana Lúcia', order_number: 'AB-77' });
  });

  it('a start that is a message then a transfer finishes at once; a transfer without text says nothing', () => {
    const f = flowOf({ a: { kind: 'message', text: 'Aguarde', next: 'z' }, z: { kind: 'transfer' } });
    const started = ok(startFlow(f, ctx));
    expect(started.outcome).toEqual({ type: 'transfer', serviceId: 'svc-sac' });
    expect(texts(started)).toEqual(['Aguarde']);
    expect(started.state).toMatchObject({ stepId: 'z', finished: true, visited: 2 });
  });

  it('typed errors instead of throwing: loops, missing steps, finished or hand-made states', () => {
    const loop = flowOf({ a: { kind: 'message', text: '1', next: 'b' }, b: { kind: 'answer', text: '2', next: 'a' } });
    const looped = startFlow(loop, ctx);
    expect(looped.ok ? null : looped.error.code).toBe('automatic_loop');

    const missing = startFlow(flowOf({ a: { kind: 'message', text: '1', next: 'constructor' } }), ctx);
    expect(missing.ok ? null : [missing.error.code, missing.error.stepId]).toEqual(['unknown_step', 'constructor']);

    const state = (stepId: string, finished = false): BotState => ({ stepId, attempts: 0, fields: {}, visited: 1, finished });
    const codeOf = (r: BotRunResult): string | null => (r.ok ? null : r.error.code);
    expect(codeOf(step(flow, state('fim', true), text('oi'), ctx))).toBe('finished');
    expect(codeOf(step(flow, state('removido'), text('oi'), ctx))).toBe('unknown_step');
    expect(codeOf(step(flow, state('boas_vindas'), text('oi'), ctx))).toBe('not_waiting');
    const err = step(flow, state('removido'), text('oi'), ctx);
    expect(err.ok ? null : err.error).toBeInstanceOf(Error);
  });
});
