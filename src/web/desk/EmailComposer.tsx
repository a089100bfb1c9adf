import { useMemo, useRef, useState } from 'react';
import { ActionIcon, Button, Group, SegmentedControl, Select, Stack, Textarea, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPaperclip, IconSend } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Template } from '../../contracts/admin';
import type { MessageView } from '../../contracts/conversations';
import { readMessagePayload } from '../../contracts/message-content';
import { defaultRecipients, emailSubject, type EmailMode } from '../../shared/email-reply';
import { call } from '../api';
import { errorText } from './format';
import { PickedFiles } from './PickedFiles';

// The composer of an e-mail conversation: Responder / Responder a todos / Encaminhar, To/Cc/Bcc
// (filled as the mode says from the customer's latest e-mail, editable), the subject (the protocol
// goes in front of it on the server), the text, files, and the service's text templates for e-mail.

interface Props {
  protocol: string;
  subject: string | null;
  messages: readonly MessageView[];
  disabled?: boolean;
  onSend(text: string, files: File[], email: { mode: EmailMode; to: string[]; cc: string[]; bcc: string[]; subject?: string }): Promise<void>;
}

const split = (v: string) => v.split(/[,;\s]+/).map((x) => x.trim()).filter(Boolean);

export function EmailComposer({ protocol, subject, messages, disabled, onSend }: Props) {
  const { t } = useTranslation('desk');
  const parent = useMemo(() => {
    for (let i = messages.length - 1; i >= 0; i--) {
      const p = readMessagePayload(messages[i].payload);
      if (messages[i].authorType === 'customer' && p.email) return p.email;
    }
    return null;
  }, [messages]);
  const [mode, setMode] = useState<EmailMode>('reply');
  const defaults = defaultRecipients(parent, mode, parent?.mailbox ?? null, null);
  const [to, setTo] = useState<string | null>(null);
  const [cc, setCc] = useState<string | null>(null);
  const [bcc, setBcc] = useState('');
  const [subj, setSubj] = useState('');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const templates = useQuery({
    queryKey: ['desk', 'templates'],
    queryFn: async () => (await call('getTemplates', { query: { active: 'true' } })).items,
    staleTime: 60_000,
    select: (items: Template[]) => items.filter((x) => x.active && (x.channel === null || x.channel === 'email')),
  });
  const toValue = to ?? defaults.to.join(', ');
  const ccValue = cc ?? defaults.cc.join(', ');
  const subjectShown = emailSubject(protocol, subj.trim() || parent?.subject || subject, mode);

  async function send() {
    if (sending || disabled) return;
    setSending(true);
    try {
      await onSend(text.trim(), files, { mode, to: split(toValue), cc: split(ccValue), bcc: split(bcc), ...(subj.trim() ? { subject: subj.trim() } : {}) });
      setText('');
      setFiles([]);
      setBcc('');
    } catch (err) {
      notifications.show({ title: t('desk.composer.failed'), message: errorText(t, err), color: 'red', autoClose: 8000 });
    } finally {
      setSending(false);
    }
  }

  return (
    <Stack gap={6} data-testid="email-composer" aria-label={t('desk.email.composer')}>
      <Group justify="space-between" wrap="nowrap">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => {
            setMode(v as EmailMode);
            setTo(null);
            setCc(null);
          }}
          data={[
            { value: 'reply', label: t('desk.email.reply') },
            { value: 'replyAll', label: t('desk.email.replyAll') },
            { value: 'forward', label: t('desk.email.forward') },
          ]}
        />
        {(templates.data?.length ?? 0) > 0 && (
          <Select
            size="xs"
            w={220}
            aria-label={t('desk.email.template')}
            placeholder={t('desk.email.templatePlaceholder')}
            data={templates.data!.map((x) => ({ value: x.id, label: x.name }))}
            value={null}
            onChange={(id) => {
              const tpl = templates.data!.find((x) => x.id === id);
              if (tpl) setText((cur) => (cur ? `${cur}\n${tpl.body}` : tpl.body));
            }}
          />
        )}
      </Group>
      <TextInput size="xs" label={t('desk.email.to')} description={t('desk.email.addresses')} value={toValue} onChange={(e) => setTo(e.currentTarget.value)} data-testid="email-to" />
      <Group grow gap="xs">
        <TextInput size="xs" label={t('desk.email.cc')} value={ccValue} onChange={(e) => setCc(e.currentTarget.value)} data-testid="email-cc" />
        <TextInput size="xs" label={t('desk.email.bcc')} value={bcc} onChange={(e) => setBcc(e.currentTarget.value)} data-testid="email-bcc" />
      </Group>
      <TextInput size="xs" label={t('desk.email.subject')} description={subjectShown} placeholder={parent?.subject ?? subject ?? ''} value={subj} onChange={(e) => setSubj(e.currentTarget.value)} data-testid="email-subject" />
      <PickedFiles files={files} onChange={setFiles} testId="email-files" />
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <input ref={fileInput} type="file" hidden multiple data-testid="email-file-input" onChange={(e) => {
          const picked = Array.from(e.currentTarget.files ?? []);
          setFiles((cur) => [...cur, ...picked].slice(0, 10));
          e.currentTarget.value = '';
        }} />
        <Tooltip label={t('desk.email.attach')} withArrow>
          <ActionIcon size={42} radius="md" variant="default" aria-label={t('desk.email.attach')} onClick={() => fileInput.current?.click()} disabled={disabled || sending}>
            <IconPaperclip size={20} />
          </ActionIcon>
        </Tooltip>
        <Textarea style={{ flex: 1 }} aria-label={t('desk.email.body')} autosize minRows={3} maxRows={10} maxLength={4096} value={text} disabled={disabled} onChange={(e) => setText(e.currentTarget.value)} data-testid="email-body" />
        <Button leftSection={<IconSend size={16} />} onClick={() => void send()} loading={sending} disabled={disabled || (!text.trim() && !files.length && mode !== 'forward')} data-testid="email-send">
          {t('desk.email.send')}
        </Button>
      </Group>
    </Stack>
  );
}
