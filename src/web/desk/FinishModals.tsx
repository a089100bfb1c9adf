import { useState } from 'react';
import { Alert, Button, Divider, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../contracts/conversations';
import { ApiError } from '../api';
import { errorText } from './format';
import type { DeskStore } from './store';
import { useClassifications, useWrapupFields } from './useDesk';
import { WrapupFieldInputs } from './WrapupFieldInputs';
import { fieldsBody, missingFields, type WrapupValues } from './wrapup-values';

interface Props {
  store: DeskStore;
  conversation: ConversationView;
  opened: boolean;
  onClose(): void;
}

/**
 * Concluir: the wrap-up (classification of the service, the service's own fields, notes), then finish
 * as completed. Required answers are checked here first; the server has the last word.
 */
export function FinishModal({ store, conversation, opened, onClose }: Props) {
  const { t } = useTranslation('desk');
  const classifications = useClassifications();
  const wrapupFields = useWrapupFields(conversation.serviceId);
  const fields = wrapupFields.data ?? [];
  const [classificationId, setClassificationId] = useState<string | null>(null);
  const [values, setValues] = useState<WrapupValues>({});
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const options = (classifications.data ?? [])
    .filter((c) => c.active && (c.serviceIds === null || c.serviceIds.includes(conversation.serviceId)))
    .map((c) => ({ value: c.id, label: c.code ? `${c.name} (${c.code})` : c.name }));
  // a wrap-up code is required when the service has any
  const required = options.length > 0;
  const missing = (required && !classificationId) || missingFields(fields, values).length > 0;

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
      await store.finish(conversation.id, {
        outcome: 'completed',
        classificationId: classificationId ?? undefined,
        fields: fieldsBody(fields, values),
        notes: notes.trim() || undefined,
      });
      notifications.show({ message: t('desk.finish.done'), color: 'green', autoClose: 2500 });
      setClassificationId(null);
      setValues({});
      setNotes('');
      close();
    } catch (err) {
      setError(errorText(t, err));
      // refused wrap-up: the fields may have changed since they were read
      if (err instanceof ApiError && err.status === 422) void wrapupFields.refetch();
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
              error={tried && required && !classificationId ? t('common.required') : undefined}
              nothingFoundMessage={t('common.empty')}
              comboboxProps={{ withinPortal: true }}
              data-autofocus
              data-testid="wrapup-classification"
            />
          )}
          {wrapupFields.isError && (
            <Alert color="yellow" role="alert">
              {t('desk.finish.fieldsUnavailable')}
            </Alert>
          )}
          {fields.length > 0 && (
            <>
              <Divider label={t('desk.finish.fields')} labelPosition="left" />
              <WrapupFieldInputs fields={fields} values={values} onChange={(key, v) => setValues((x) => ({ ...x, [key]: v }))} showErrors={tried} />
            </>
          )}
          <Textarea label={t('desk.finish.notes')} placeholder={t('desk.finish.notesPlaceholder')} autosize minRows={3} maxRows={8} maxLength={4000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('desk.cancel.keep')}
            </Button>
            <Button type="submit" color="green" loading={busy || wrapupFields.isPending}>
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
  const { t } = useTranslation('desk');
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
