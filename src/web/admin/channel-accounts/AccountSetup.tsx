import { ActionIcon, Alert, Anchor, Badge, Button, Code, CopyButton, Group, List, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconCheck, IconCopy, IconPlugConnected } from '@tabler/icons-react';
import type { SavedChannelAccount } from '../../../contracts/admin';
import { call } from '../../api';
import { accountForm, say, webhookAddress } from './account-form-model';

function Copyable({ value, label, testId }: { value: string; label: string; testId: string }) {
  const { t } = useTranslation('admin');
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Code block style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid={testId}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('channelAccounts.copied') : label} withArrow>
            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/**
 * What the admin pastes in the provider's console (the webhook URL, Meta's verify token), which
 * secrets are set, the services that use the account, and "Testar conexão".
 */
export function AccountSetup({ account, typed, serviceNames, onClose }: {
  account: SavedChannelAccount;
  /** the secrets just typed in the form (only right after a save): the verify token to show */
  typed: Record<string, string>;
  serviceNames: Map<string, string>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('admin');
  const form = accountForm(account.channel, account.provider);
  const hook = webhookAddress(account, window.location.origin);
  const verifyToken = typed.verifyToken?.trim();
  const test = useMutation({ mutationFn: () => call('postChannelAccountsByIdTest', { params: { id: account.id } }) });
  const services = account.serviceIds.map((id) => serviceNames.get(id) ?? id).sort((a, b) => a.localeCompare(b));

  return (
    <Modal opened onClose={onClose} title={t('channelAccounts.setupTitle', { name: account.name })} size="lg">
      <Stack>
        {account.warnings?.map((w) => (
          <Alert key={w.code} color="orange" role="alert" title={t('channelAccounts.warnings')}>{w.message}</Alert>
        ))}
        {/* a mailbox is read by Mirante itself: no address to give the provider */}
        {!form?.pull && <Stack gap={4}>
          <Text fw={600} size="sm">{t('channelAccounts.webhookUrl')}</Text>
          <Text size="xs" c="dimmed">{form?.webhookSetByMirante ? t('channelAccounts.webhookAutomatic') : t('channelAccounts.webhookHelp')}</Text>
          <Copyable value={hook.url} label={t('channelAccounts.copyUrl')} testId="webhook-url" />
          {hook.fromBrowser && <Alert color="yellow" data-testid="no-public-url">{t('channelAccounts.noPublicUrl')}</Alert>}
        </Stack>}
        {form?.verifyToken && (
          <Stack gap={4}>
            <Text fw={600} size="sm">{t('channelAccounts.verifyToken')}</Text>
            <Text size="xs" c="dimmed">{t('channelAccounts.verifyTokenHelp')}</Text>
            {verifyToken ? <Copyable value={verifyToken} label={t('channelAccounts.copyToken')} testId="verify-token" /> : <Text size="sm">{t('channelAccounts.verifyTokenHidden')}</Text>}
          </Stack>
        )}
        {form && (
          <Anchor href={form.console} target="_blank" rel="noreferrer" size="sm">{t('channelAccounts.console')}</Anchor>
        )}
        {form && (
          <Stack gap={4}>
            <Text fw={600} size="sm">{t('channelAccounts.secrets')}</Text>
            <List size="sm" spacing={4} listStyleType="none">
              {form.credentials.map((f) => {
                const isSet = account.credentialsSet.includes(f.key);
                return (
                  <List.Item key={f.key}>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm">{say(f.label, i18n.language)}</Text>
                      <Badge variant="light" color={isSet ? 'teal' : f.required ? 'red' : 'gray'} tt="none">{isSet ? t('channelAccounts.secretSet') : t('channelAccounts.secretUnset')}</Badge>
                    </Group>
                  </List.Item>
                );
              })}
            </List>
          </Stack>
        )}
        <Stack gap={4}>
          <Text fw={600} size="sm">{t('channelAccounts.servicesUsing')}</Text>
          <Text size="sm" c={services.length ? undefined : 'dimmed'}>{services.length ? services.join(', ') : t('channelAccounts.noServicesUsing')}</Text>
        </Stack>
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Button leftSection={<IconPlugConnected size={16} />} variant="light" loading={test.isPending} onClick={() => test.mutate()}>
            {t('channelAccounts.test')}
          </Button>
          <Button variant="default" onClick={onClose}>{t('common.close', { ns: 'common' })}</Button>
        </Group>
        {test.isSuccess && (
          <Alert color={test.data.ok ? 'teal' : 'red'} role="status" title={test.data.ok ? t('channelAccounts.testOk') : t('channelAccounts.testFailed')} data-testid="connection-result">
            {test.data.message}
          </Alert>
        )}
        {test.isError && <Alert color="red" role="status" title={t('channelAccounts.testFailed')} data-testid="connection-result">{test.error.message}</Alert>}
      </Stack>
    </Modal>
  );
}
