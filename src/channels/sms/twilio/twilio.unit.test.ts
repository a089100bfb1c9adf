import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../../adapter.js';
import { parseTwilioForm } from './parse.js';
import { twilioSignature, verifyTwilioSignature } from './signature.js';

// Twilio's signature and form webhooks, on values written for these tests (the corpus's vector is
// checked by test/integration/corpus-twilio.test.ts). The expected signature is computed here from
// the rule's words, independently of the adapter's code.

const now = new Date('2026-12-06T12:00:00Z');
const form = (o: Record<string, string>) => Buffer.from(new URLSearchParams(o).toString());

describe('X-Twilio-Signature', () => {
  const token = 'secret-token';
  const url = 'https://mirante.example.com/webhooks/sms/abc?x=1';
  const params = { To: '+551140000000', From: '+5511988887777', Body: 'Olá, ação!', MessageSid: 'SM1' };
  const expected = createHmac('sha1', token).update(`${url}BodyOlá, ação!From+5511988887777MessageSidSM1To+551140000000`, 'utf8').digest('base64');

  it('is base64 HMAC-SHA1 of the URL and the fields sorted by name, each as name+value', () => {
    expect(twilioSignature(token, url, Object.entries(params))).toBe(expected);
    expect(verifyTwilioSignature(token, url, form(params), expected)).toBe(true);
  });

  it('a changed byte, another URL, another token, or no header fails', () => {
    expect(verifyTwilioSignature(token, url, form({ ...params, Body: 'Olá, ação?' }), expected)).toBe(false);
    expect(verifyTwilioSignature(token, url.replace('abc', 'abd'), form(params), expected)).toBe(false);
    expect(verifyTwilioSignature('other', url, form(params), expected)).toBe(false);
    expect(verifyTwilioSignature(token, url, form(params), undefined)).toBe(false);
    expect(verifyTwilioSignature(undefined, url, form(params), expected)).toBe(false);
  });

  it('accepts the URL signed with or without the default port', () => {
    const withPort = 'https://mirante.example.com:443/webhooks/sms/abc?x=1';
    const sig = twilioSignature(token, withPort, Object.entries(params));
    expect(verifyTwilioSignature(token, url, form(params), sig)).toBe(true);
    expect(verifyTwilioSignature(token, withPort, form(params), expected)).toBe(true);
    expect(verifyTwilioSignature(token, 'https://mirante.example.com:8443/webhooks/sms/abc?x=1', form(params), expected)).toBe(false);
  });

  it('sorts a repeated field by value', () => {
    const body = Buffer.from('A=2&A=1&B=x');
    const sig = createHmac('sha1', token).update(`${url}A1A2Bx`).digest('base64');
    expect(verifyTwilioSignature(token, url, body, sig)).toBe(true);
  });
});

describe('Twilio form webhooks', () => {
  it('an SMS: the From number is the customer, in E.164 as the phone; the MessageSid the id', () => {
    expect(parseTwilioForm(form({ MessageSid: 'SM1', From: '+551188887777', To: '+551140000000', Body: 'Oi', NumMedia: '0' }), now)).toEqual({
      messages: [{ externalId: 'SM1', contact: { externalId: '+551188887777', phone: '+5511988887777', name: null }, text: 'Oi', contentType: 'text' }],
      receipts: [],
    });
  });

  it('an MMS names each file; a location carries its point; a WhatsApp sender keeps its profile name', () => {
    const mms = parseTwilioForm(form({ MessageSid: 'SM2', From: '+15551234567', Body: '', NumMedia: '2', MediaUrl0: 'https://api.twilio.com/m/0', MediaContentType0: 'image/png', MediaUrl1: 'https://api.twilio.com/m/1', MediaContentType1: 'application/pdf' }), now);
    expect(mms.messages[0]).toMatchObject({ contentType: 'image', media: [{ media: 'image', ref: 'https://api.twilio.com/m/0', mimeType: 'image/png' }, { media: 'document', ref: 'https://api.twilio.com/m/1' }] });
    const loc = parseTwilioForm(form({ MessageSid: 'SM3', From: 'whatsapp:+5511988887777', ProfileName: 'Maria', Latitude: '-23.5', Longitude: '-46.6' }), now);
    expect(loc.messages[0]).toMatchObject({ contentType: 'location', payload: { latitude: -23.5, longitude: -46.6 }, contact: { externalId: 'whatsapp:+5511988887777', phone: '+5511988887777', name: 'Maria' } });
  });

  it('status callbacks are receipts: sent, delivered, read, and failed/undelivered with the ErrorCode; queued is nothing', () => {
    const r = (o: Record<string, string>) => parseTwilioForm(form({ MessageSid: 'SM9', ...o }), now).receipts;
    expect(r({ MessageStatus: 'sent' })).toEqual([{ providerMessageId: 'SM9', status: 'sent', at: now }]);
    expect(r({ MessageStatus: 'delivered' })[0].status).toBe('delivered');
    expect(r({ MessageStatus: 'read' })[0].status).toBe('read');
    expect(r({ MessageStatus: 'undelivered', ErrorCode: '30003' })).toEqual([{ providerMessageId: 'SM9', status: 'failed', at: now, error: { code: '30003', message: 'Unreachable destination handset' } }]);
    expect(r({ MessageStatus: 'failed', ErrorCode: '30008', ErrorMessage: 'Unknown error' })[0].error).toEqual({ code: '30008', message: 'Unknown error' });
    expect(r({ MessageStatus: 'queued' })).toEqual([]);
  });

  it('a form without a MessageSid, or an incoming one without From, is not Twilio\'s', () => {
    expect(() => parseTwilioForm(form({ Body: 'x' }), now)).toThrow(WebhookParseError);
    expect(() => parseTwilioForm(form({ MessageSid: 'SM1', Body: 'x' }), now)).toThrow(WebhookParseError);
  });
});
