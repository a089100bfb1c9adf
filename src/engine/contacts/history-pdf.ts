import { PassThrough, type Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { ConversationState } from '../../shared/states.js';
import { CHANNEL_LABELS, STATE_LABELS } from '../exports/table-export.js';
import type { HistoryConversation, HistoryMessage, OpenedHistory } from './history.js';

// The consumer's history as a PDF to hand over (SAC decree art. 13): A4, the company's name, the
// contact, the period, each conversation with its protocol, states and messages, "Página n" at the
// foot of every page. Pages are written as the messages come (no page buffering), so the total page
// count is not printed.

type Lang = 'pt' | 'en';
const WORDS = {
  title: { pt: 'Histórico de atendimentos', en: 'Service history' },
  name: { pt: 'Nome', en: 'Name' }, email: { pt: 'E-mail', en: 'E-mail' }, phone: { pt: 'Telefone', en: 'Phone' }, cpf: { pt: 'CPF', en: 'CPF' },
  period: { pt: 'Período', en: 'Period' }, generated: { pt: 'Gerado em', en: 'Generated at' }, zone: { pt: 'Fuso horário', en: 'Time zone' },
  count: { pt: 'Atendimentos', en: 'Conversations' }, anonymized: { pt: 'Titular anonimizado', en: 'Anonymised contact' },
  protocol: { pt: 'Protocolo', en: 'Protocol' }, start: { pt: 'Início', en: 'Start' }, end: { pt: 'Fim', en: 'End' },
  state: { pt: 'Situação', en: 'Status' }, answered: { pt: 'Atendido por', en: 'Answered by' }, classification: { pt: 'Classificação', en: 'Classification' },
  subject: { pt: 'Assunto', en: 'Subject' }, states: { pt: 'Situações', en: 'Status history' }, messages: { pt: 'Mensagens', en: 'Messages' },
  none: { pt: 'Nenhuma mensagem.', en: 'No messages.' }, files: { pt: 'Anexos', en: 'Attachments' }, page: { pt: 'Página', en: 'Page' },
  to: { pt: 'a', en: 'to' }, noConversations: { pt: 'Nenhum atendimento registrado.', en: 'No conversations on record.' },
  customer: { pt: 'Cliente', en: 'Customer' }, agent: { pt: 'Agente', en: 'Agent' }, bot: { pt: 'Bot', en: 'Bot' }, system: { pt: 'Sistema', en: 'System' },
} as const;

// the standard fonts speak WinAnsi: Portuguese letters are there, other scripts and emoji are not
const WIN_ANSI_EXTRA = new Set('‘’“”–—…•€™'.split(''));
const printable = (s: string) => Array.from(s.normalize('NFC')).map((ch) => (ch.codePointAt(0)! <= 0xff || WIN_ANSI_EXTRA.has(ch) ? ch : '?')).join('');

/** 2026-03-10T09:00:00-03:00 as 10/03/2026 09:00:00 (pt) or 2026-03-10 09:00:00 (en). */
const when = (iso: string | null, lang: Lang) => {
  if (!iso) return '—';
  const [d, t] = iso.slice(0, 19).split('T');
  return lang === 'pt' ? `${d.split('-').reverse().join('/')} ${t}` : `${d} ${t}`;
};
const stateLabel = (s: string, lang: Lang) => STATE_LABELS[s as ConversationState]?.[lang] ?? s;
const channelLabel = (c: string) => CHANNEL_LABELS[c as keyof typeof CHANNEL_LABELS] ?? c;

export function historyPdf(h: OpenedHistory, lang: Lang): Readable {
  const w = (k: keyof typeof WORDS) => WORDS[k][lang];
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 60, left: 50, right: 50 }, info: { Title: `${WORDS.title[lang]} — ${h.head.company}`, Author: h.head.company } });
  const out = new PassThrough();
  doc.pipe(out);
  let page = 1;
  const footer = () => {
    const bottom = doc.page.margins.bottom;
    const { x, y } = doc;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#555')
      .text(`${printable(h.head.company)} — ${w('title')} — ${w('page')} ${page}`, 50, doc.page.height - 40, { width: doc.page.width - 100, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.x = x;
    doc.y = y;
    doc.fillColor('black');
  };
  doc.on('pageAdded', () => { page++; footer(); });

  const line = (label: string, value: string | null) => {
    doc.font('Helvetica-Bold').fontSize(10).text(`${label}: `, { continued: true }).font('Helvetica').text(printable(value ?? '—'));
  };

  const head = h.head;
  const fill = async () => {
    try {
      footer();
      doc.font('Helvetica-Bold').fontSize(16).text(printable(head.company));
      doc.fontSize(13).text(w('title')).moveDown(0.5);
      if (head.contact.anonymized) doc.font('Helvetica-Oblique').fontSize(10).text(w('anonymized'));
      line(w('name'), head.contact.name);
      line(w('email'), head.contact.email);
      line(w('phone'), head.contact.phone);
      line(w('cpf'), head.contact.cpf && /^\d{11}$/.test(head.contact.cpf) ? head.contact.cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4') : head.contact.cpf);
      line(w('period'), head.period.from ? `${when(head.period.from, lang)} ${w('to')} ${when(head.period.to, lang)}` : '—');
      line(w('count'), String(head.conversationCount));
      line(w('generated'), when(head.generatedAt, lang));
      line(w('zone'), head.timeZone);
      if (!head.conversationCount) doc.moveDown().font('Helvetica').text(w('noConversations'));
      for await (const part of h.parts) {
        if (out.destroyed) break;
        if (part.kind === 'conversation') {
          // the conversation before had no message
          if (lastWasConversation) doc.font('Helvetica-Oblique').fontSize(9).text(w('none'));
          writeConversation(part.conversation);
          lastWasConversation = true;
        } else {
          for (const m of part.messages) writeMessage(m);
          lastWasConversation = false;
          // the client reads slower than pages are made: wait for it rather than pile them up
          while (doc.readableLength > 1 << 20 && !out.destroyed) await new Promise((r) => setTimeout(r, 5));
        }
      }
      if (lastWasConversation) doc.font('Helvetica-Oblique').fontSize(9).text(w('none'));
      doc.end();
    } catch (err) {
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  };
  let lastWasConversation = false;

  const writeConversation = (c: HistoryConversation) => {
    doc.moveDown(1);
    if (doc.y > doc.page.height - 200) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(12).fillColor('#1a4d8f')
      .text(printable(`${w('protocol')} ${c.protocol} — ${c.service} (${channelLabel(c.channel)})`)).fillColor('black');
    line(w('start'), when(c.startedAt, lang));
    line(w('end'), when(c.finishedAt, lang));
    line(w('state'), stateLabel(c.state, lang));
    line(w('answered'), c.answeredBy.length ? c.answeredBy.join(', ') : null);
    if (c.classification) line(w('classification'), c.classification);
    if (c.subject) line(w('subject'), c.subject);
    if (c.states.length) {
      doc.font('Helvetica-Bold').fontSize(10).text(`${w('states')}:`);
      doc.font('Helvetica').fontSize(9).text(c.states.map((s) => `${when(s.at, lang)}  ${stateLabel(s.state, lang)}`).join('\n'), { indent: 10 });
    }
    doc.font('Helvetica-Bold').fontSize(10).text(`${w('messages')}:`);
  };

  const writeMessage = (m: HistoryMessage) => {
    const who = m.author ? `${w(m.from)} (${m.author})` : w(m.from);
    doc.font('Helvetica-Bold').fontSize(9).text(printable(`${when(m.at, lang)} — ${who}`), { indent: 10 });
    if (m.subject) doc.font('Helvetica-Oblique').text(printable(`${w('subject')}: ${m.subject}`), { indent: 20 });
    if (m.text) doc.font('Helvetica').text(printable(m.text), { indent: 20 });
    if (m.attachments.length) doc.font('Helvetica-Oblique').text(printable(`${w('files')}: ${m.attachments.join(', ')}`), { indent: 20 });
  };

  void fill();
  return out;
}
