import { forwardRef, useState, type KeyboardEvent } from 'react';
import { ActionIcon, Group, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from './format';

interface Props {
  /** the text to start with (a draft kept while the agent looked elsewhere) */
  initial: string;
  label: string;
  placeholder: string;
  sendLabel: string;
  maxLength: number;
  disabled?: boolean;
  onDraft?(text: string): void;
  onSend(text: string): Promise<void>;
  testId?: string;
}

/** A message box: Enter sends, Shift+Enter breaks the line; the text stays if sending fails. */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer(
  { initial, label, placeholder, sendLabel, maxLength, disabled, onDraft, onSend, testId },
  ref,
) {
  const { t } = useTranslation('desk');
  const [text, setText] = useState(initial);
  const [sending, setSending] = useState(false);

  const change = (v: string) => {
    setText(v);
    onDraft?.(v);
  };

  async function send() {
    const body = text.trim();
    if (!body || sending || disabled) return;
    setSending(true);
    try {
      await onSend(body);
      // what was typed while sending stays
      setText((cur) => {
        const rest = cur.trim() === body ? '' : cur;
        onDraft?.(rest);
        return rest;
      });
    } catch (err) {
      notifications.show({ title: t('desk.composer.failed'), message: errorText(t, err), color: 'red', autoClose: 8000 });
    } finally {
      setSending(false);
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // an IME composing a word uses Enter to confirm it, not to send
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <Textarea
        ref={ref}
        style={{ flex: 1 }}
        aria-label={label}
        placeholder={placeholder}
        autosize
        minRows={2}
        maxRows={6}
        maxLength={maxLength}
        value={text}
        disabled={disabled}
        onChange={(e) => change(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        data-testid={testId}
      />
      <Tooltip label={sendLabel} withArrow>
        <ActionIcon size={42} radius="md" aria-label={sendLabel} onClick={() => void send()} loading={sending} disabled={disabled || !text.trim()}>
          <IconSend size={20} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
});
