import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { call, fieldErrors, type Answer } from '../api';

type Contact = Answer<'getContactsById'>;

/** Anonimizar: irreversible, so the admin gives a reason and types the person's name (or id) again. */
export function AnonymizeModal({ contact, opened, onClose, onDone }: { contact: Contact; opened: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('contacts');
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const expected = [contact.id.toLowerCase(), (contact.name ?? '').trim().toLowerCase()].filter(Boolean);
  const typedOk = expected.includes(confirm.trim().toLowerCase());
  const submit = async () => {
    setBusy(true);
    setErrors({});
    try {
      const r = await call('postContactsByIdAnonymize', { params: { id: contact.id }, body: { reason, confirm } });
      notifications.show({ color: 'green', message: t('contacts.anonymized_done', r) });
      onClose();
      onDone();
    } catch (e) {
      setErrors(fieldErrors(e));
      if (!Object.keys(fieldErrors(e)).length) notifications.show({ color: 'red', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('contacts.anonymizeTitle')} size="lg">
      <Stack>
        <Alert color="red" icon={<IconAlertTriangle size={18} />}>{t('contacts.anonymizeWarning')}</Alert>
        <Textarea label={t('contacts.anonymizeReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} required data-testid="anonymize-reason" />
        <TextInput label={t('contacts.anonymizeConfirm', { name: contact.name ?? contact.id })} value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)}
          error={errors.confirm} required data-testid="anonymize-confirm" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('contacts.cancel')}</Button>
          <Button color="red" disabled={!typedOk || reason.trim().length < 3} loading={busy} onClick={() => void submit()} data-testid="anonymize-submit">{t('contacts.anonymizeSubmit')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
