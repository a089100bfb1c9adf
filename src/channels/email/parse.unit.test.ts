import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { bareId, messageIds, parseEmail } from './parse.js';
import { REMOTE_SRC_ATTR, sanitizeEmailHtml } from './sanitize.js';

const compose = (o: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer(o).compile().build();

describe('e-mail HTML sanitising', () => {
  it('drops scripts, handlers, forms, frames, style sheets and loading CSS; keeps text, links and inline images', () => {
    const { html, remoteImages } = sanitizeEmailHtml(
      '<style>@import url(https://x.test/a.css)</style><p onclick="x()" style="color:red">Olá <a href="https://loja.test" onmouseover="y()">loja</a></p>' +
        '<script>alert(1)</script><iframe src="https://x.test"></iframe><form action="https://x.test"><input></form><link rel="stylesheet" href="https://x.test/b.css">' +
        '<div style="background:url(https://x.test/bg.png)">fundo</div><img src="data:image/png;base64,iVBORw0KGgo=" alt="inline"><img src="//x.test/pixel.gif"><img src="HTTPS://X.TEST/A.PNG">',
    );
    expect(html).not.toMatch(/<script|<iframe|<form|<input|<link|<style|onclick|onmouseover|url\(/i);
    expect(html).toContain('<p style="color:red">Olá <a href="https://loja.test" target="_blank" rel="noopener noreferrer nofollow">loja</a></p>');
    expect(html).toContain('<div>fundo</div>');
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(remoteImages).toBe(2);
    expect(html).toContain(`${REMOTE_SRC_ATTR}="//x.test/pixel.gif"`);
    expect(html).not.toMatch(/\ssrc="(https?:)?\/\//i);
  });

  it('javascript: links are dropped', () => {
    expect(sanitizeEmailHtml('<a href="javascript:alert(1)">x</a>').html).not.toMatch(/javascript/i);
  });
});

describe('parsing an e-mail', () => {
  it('headers, text, sanitised HTML and files; Message-IDs without brackets', async () => {
    const raw = await compose({
      from: '"Maria Souza" <Maria@Cliente.test>', to: 'sac@loja.test', cc: 'a@x.test, b@x.test', replyTo: 'respostas@cliente.test', subject: 'Pedido', messageId: '<m1@cliente.test>',
      inReplyTo: '<p0@loja.test>', references: ['<r1@x>', '<p0@loja.test>'], text: 'texto', html: '<b onclick="x">texto</b>',
      attachments: [{ filename: 'a.pdf', content: Buffer.from('pdf'), contentType: 'application/pdf' }],
    });
    const e = await parseEmail(raw);
    expect(e).toMatchObject({
      messageId: 'm1@cliente.test', inReplyTo: 'p0@loja.test', references: ['r1@x', 'p0@loja.test'], subject: 'Pedido', text: 'texto', machine: null,
      from: { address: 'maria@cliente.test', name: 'Maria Souza' }, replyTo: [{ address: 'respostas@cliente.test' }], cc: [{ address: 'a@x.test' }, { address: 'b@x.test' }],
    });
    expect(e.html).toBe('<b>texto</b>');
    expect(e.attachments).toMatchObject([{ filename: 'a.pdf', contentType: 'application/pdf', inline: false }]);
  });

  it('recognises auto-replies and bounces, not a plain "Precedence: bulk" nor Auto-Submitted: no', async () => {
    const kind = async (headers: Record<string, string>) => (await parseEmail(await compose({ from: 'a@x.test', to: 'b@x.test', subject: 's', text: 't', headers }))).machine;
    expect(await kind({ 'Auto-Submitted': 'auto-replied' })).toBe('auto_reply');
    expect(await kind({ 'Auto-Submitted': 'no' })).toBeNull();
    expect(await kind({ 'X-Autoreply': 'yes' })).toBe('auto_reply');
    expect(await kind({ 'X-Autorespond': 'Out of office' })).toBe('auto_reply');
    expect(await kind({ Precedence: 'auto_reply' })).toBe('auto_reply');
    expect(await kind({ Precedence: 'bulk' })).toBeNull();
  });

  it('Message-ID lists: brackets, several ids, junk', () => {
    expect(bareId(' <a@b> ')).toBe('a@b');
    expect(messageIds('<a@b> <c@d>\r\n <e@f>')).toEqual(['a@b', 'c@d', 'e@f']);
    expect(messageIds(['<a@b>', '<a@b>'])).toEqual(['a@b']);
    expect(messageIds('')).toEqual([]);
    expect(messageIds(undefined)).toEqual([]);
  });
});
