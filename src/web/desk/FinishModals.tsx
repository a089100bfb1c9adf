import { useState } from 'react';
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { errorText } from './format';
import type { DeskStore } from './store';
import { useClassifications } from './useDesk';

interface Props {
  store: DeskStore;
  conversation: ConversationView;
  opened: boolean;
  onClose(): void;
}

/** Concluir: the wrap-up (classification of the service, notes), then finish as completed. */
export function FinishModal({ store, conversation, opened, onClose }: Props) {
  const { t } = useTranslation();
  const classifications = useClassifications();
  const [classificationId, setClassificationId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const options = (classifications.data ?? [])
    .filter((c) => c.active && (c.serviceIds === null || c.serviceIds.includes(conversation.serviceId)))
    .map((c) => ({ value: c.id, label: c.code ? `${c.name} (${c.code})` : c.name }));
  // a wrap-up code is required when the service has any
  const required = options.length > 0;
  const missing = required && !classificationId;

  const close = () => {
    setError(null);
    setTried(false);
    onClose();
  };

  async function submit() {
    setTried(true);
    if (missing) return;
    setBusy(true);
    setError(null);
    try {
      await store.finish(conversation.id, { outcome: 'completed', classificationId: classificationId ?? undefined, notes: notes.trim() || undefined });
      notifications.show({ message: t('desk.finish.done'), color: 'green', autoClose: 2500 });
      setClassificationId(null);
      setNotes('');
      close();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={t('desk.finish.title')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('desk.conversation.protocol')} {conversation.protocol}
          </Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {classifications.isSuccess && options.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('desk.finish.noClassifications')}
            </Text>
          ) : (
            <Select
              label={t('desk.finish.classification')}
              description={t('desk.finish.classificationHelp')}
              placeholder={t('desk.finish.classificationPlaceholder')}
              data={options}
              value={classificationId}
              onChange={setClassificationId}
              searchable
              openOnFocus={false}
              required={required}
              error={tried && missing ? t('common.required') : undefined}
              nothingFoundMessage={t('common.empty')}
              comboboxProps={{ withinPortal: true }}
              data-autofocus
              data-testid="wrapup-classification"
            />
          )}
          <Textarea label={t('desk.finish.notes')} placeholder={t('desk.finish.notesPlaceholder')} autosize minRows={3} maxRows={8} maxLength={4000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('desk.cancel.keep')}
            </Button>
            <Button type="submit" color="green" loading={busy}>
              {t('desk.finish.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Cancelar: asks first, then finishes as cancelled. */
export function CancelModal({ store, conversation, opened, onClose }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setError(null);
    onClose();
  };

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await store.finish(conversation.id, { outcome: 'cancelled' });
      notifications.show({ message: t('desk.cancel.done'), color: 'green', autoClose: 2500 });
      close();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={t('desk.cancel.title')} centered>
      <Stack gap="sm">
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Text size="sm">{t('desk.cancel.body', { protocol: conversation.protocol })}</Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close} data-autofocus>
            {t('desk.cancel.keep')}
          </Button>
          <Button color="red" loading={busy} onClick={() => void confirm()}>
            {t('desk.cancel.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
