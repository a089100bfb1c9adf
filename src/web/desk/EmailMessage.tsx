import { useMemo, useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { EmailAddress, EmailOutPayload, EmailPayload } from '../../contracts/message-content';
import classes from './desk.module.css';

// One e-mail of an e-mail conversation: its headers, then its HTML in a frame that can do nothing
// (`sandbox=""`: no script, no form, no navigation, an opaque origin) with a CSP that loads nothing
// from outside. The server stored the HTML sanitised, with each remote image's address kept in
// `data-remote-src`; "Mostrar imagens" puts those back as `src` and lets the CSP load images.

const who = (a: EmailAddress) => (a.name ? `${a.name} <${a.address}>` : a.address);

/** The document of the frame: the CSP first, then the sanitised body. */
export function emailFrameDocument(html: string, showImages: boolean): string {
  const img = showImages ? "img-src data: https: http:" : 'img-src data:';
  const body = showImages ? html.replace(/\sdata-remote-src="/g, ' src="') : html;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; ${img}; style-src 'unsafe-inline'; font-src data:"><base target="_blank"><style>body{font-family:system-ui,sans-serif;font-size:14px;margin:8px;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style></head><body>${body}</body></html>`;
}

function Header({ label, value }: { label: string; value: string }) {
  if (!value) return null;
  return (
    <Text size="xs" c="dimmed" className={classes.emailHeader}>
      <b>{label}:</b> {value}
    </Text>
  );
}

/** A customer's e-mail. */
export function EmailMessage({ email, text, formatDate }: { email: EmailPayload; text: string; formatDate(iso: string): string }) {
  const { t } = useTranslation('desk');
  const [showImages, setShowImages] = useState(false);
  const doc = useMemo(() => (email.html ? emailFrameDocument(email.html, showImages) : null), [email.html, showImages]);
  return (
    <Stack gap={4} data-testid="email-message">
      <Header label={t('desk.email.subject')} value={email.subject ?? ''} />
      <Header label={t('desk.email.from')} value={email.from ? who(email.from) : ''} />
      <Header label={t('desk.email.to')} value={email.to.map(who).join(', ')} />
      <Header label={t('desk.email.cc')} value={email.cc.map(who).join(', ')} />
      <Header label={t('desk.email.date')} value={email.date ? formatDate(email.date) : ''} />
      {doc ? (
        <>
          {email.remoteImages > 0 && !showImages && (
            <Group gap="xs">
              <Text size="xs" c="dimmed">{t('desk.email.imagesBlocked', { count: email.remoteImages })}</Text>
              <Button size="compact-xs" variant="default" leftSection={<IconPhoto size={14} />} onClick={() => setShowImages(true)} data-testid="email-show-images">
                {t('desk.email.showImages')}
              </Button>
            </Group>
          )}
          <iframe className={classes.emailFrame} sandbox="" srcDoc={doc} title={t('desk.email.frameTitle')} data-testid="email-frame" />
        </>
      ) : (
        <Text size="sm" className={classes.emailText} data-testid="email-text">{text}</Text>
      )}
    </Stack>
  );
}

/** An agent's e-mail: whom it went to, its subject, its text. */
export function SentEmail({ out, text }: { out: EmailOutPayload; text: string }) {
  const { t } = useTranslation('desk');
  return (
    <Stack gap={4} data-testid="email-sent">
      <Header label={t('desk.email.subject')} value={out.subject} />
      <Header label={t('desk.email.to')} value={out.to.join(', ')} />
      <Header label={t('desk.email.cc')} value={out.cc.join(', ')} />
      <Header label={t('desk.email.bcc')} value={out.bcc.join(', ')} />
      {text && <Text size="sm" className={classes.emailText}>{text}</Text>}
    </Stack>
  );
}
