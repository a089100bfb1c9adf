import { Badge, Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api';

// Opt-out on the conversation's contact (issue 17): whether they asked not to receive active
// messages (by their word or an agent's mark), and the agent's mark or unmark (audited by the API).
export function OptOutButton({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation('desk');
  const qc = useQueryClient();
  const key = ['/api/conversations/{id}/contact/opt-out', conversationId];
  const state = useQuery({ queryKey: key, queryFn: () => call('getConversationsByIdContactOptOut', { params: { id: conversationId } }) });
  const set = useMutation({
    mutationFn: (optedOut: boolean) => call('putConversationsByIdContactOptOut', { params: { id: conversationId }, body: { optedOut } }),
    onSuccess: (r) => qc.setQueryData(key, r),
    onError: (e: Error) => notifications.show({ color: 'red', message: e.message }),
  });
  if (!state.data) return null;
  const out = state.data.optedOut;
  return (
    <Group gap={6} wrap="nowrap">
      {out && <Badge color="red" variant="light" size="sm" title={state.data.reason ?? undefined} data-testid="desk-opted-out">{t('desk.optOut.badge')}</Badge>}
      {/* a short word on the button (a phone's header is narrow), the whole meaning in its title */}
      <Button size="compact-xs" variant="subtle" color={out ? 'teal' : 'red'} loading={set.isPending} onClick={() => set.mutate(!out)}
        title={out ? t('desk.optOut.unmarkHint') : t('desk.optOut.markHint')}>
        {out ? t('desk.optOut.unmark') : t('desk.optOut.mark')}
      </Button>
    </Group>
  );
}
