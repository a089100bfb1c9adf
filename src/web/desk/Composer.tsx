import { forwardRef, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent } from 'react';
import { ActionIcon, Group, Stack, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPaperclip, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from './format';
import { PickedFiles } from './PickedFiles';

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
  /** files attached (button, paste, drop) go through this, with the text; without it, no attaching */
  onSendFiles?(text: string, files: File[], onSent: (file: File) => void): Promise<void>;
  /** the file types the attach button offers (input accept) */
  accept?: string;
  testId?: string;
  /** Escape in the box (cancels a reply being written) */
  onEscape?(): void;
}

/** A message box: Enter sends, Shift+Enter breaks the line; the text stays if sending fails. */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer(
  { initial, label, placeholder, sendLabel, maxLength, disabled, onDraft, onSend, onSendFiles, accept, testId, onEscape },
  ref,
) {
  const { t } = useTranslation('desk');
  const [text, setText] = useState(initial);
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const addFiles = (list: FileList | null | undefined) => {
    if (!onSendFiles || !list?.length) return false;
    // copied now: the input's live FileList is emptied right after (to pick the same file again)
    const picked = Array.from(list);
    setFiles((cur) => [...cur, ...picked]);
    return true;
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    // a pasted screenshot is a file; pasted text stays text
    if (e.clipboardData.files.length && addFiles(e.clipboardData.files)) e.preventDefault();
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    if (e.dataTransfer.files.length && addFiles(e.dataTransfer.files)) e.preventDefault();
  };

  const change = (v: string) => {
    setText(v);
    onDraft?.(v);
  };

  async function send() {
    const body = text.trim();
    if ((!body && !files.length) || sending || disabled) return;
    setSending(true);
    try {
      if (files.length && onSendFiles) {
        // each file leaves the composer once its message is stored; the text goes with the first
        let first = true;
        await onSendFiles(body, files, (f) => {
          setFiles((cur) => cur.filter((x) => x !== f));
          if (first) {
            first = false;
            setText((cur) => {
              const rest = cur.trim() === body ? '' : cur;
              onDraft?.(rest);
              return rest;
            });
          }
        });
      } else await onSend(body);
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
    if (e.key === 'Escape' && onEscape) {
      e.preventDefault();
      onEscape();
      return;
    }
    // an IME composing a word uses Enter to confirm it, not to send
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <Stack gap={4} onDragOver={(e) => onSendFiles && e.preventDefault()} onDrop={onDrop}>
      <PickedFiles files={files} onChange={setFiles} testId="composer-files" />
      <Group gap="xs" align="flex-end" wrap="nowrap">
        {onSendFiles && (
          <>
            <input ref={fileInput} type="file" hidden multiple accept={accept} data-testid="composer-file-input" onChange={(e) => {
              addFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }} />
            <Tooltip label={t('desk.composer.attachHelp')} withArrow multiline maw={260}>
              <ActionIcon size={42} radius="md" variant="default" aria-label={t('desk.composer.attach')} onClick={() => fileInput.current?.click()} disabled={disabled || sending}>
                <IconPaperclip size={20} />
              </ActionIcon>
            </Tooltip>
          </>
        )}
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
          onPaste={onPaste}
          data-testid={testId}
        />
        <Tooltip label={sendLabel} withArrow>
          <ActionIcon size={42} radius="md" aria-label={sendLabel} onClick={() => void send()} loading={sending} disabled={disabled || (!text.trim() && !files.length)}>
            <IconSend size={20} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Stack>
  );
});
