import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { ActionIcon, Center, Group, Loader, Modal, Text, Tooltip } from '@mantine/core';
import { IconFileDescription, IconMessages } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { StoreContext } from '../monitor/actions';
import { ConversationModal } from '../monitor/ConversationModal';
import { ConversationRecord } from '../monitor/ConversationRecord';
import { useConversationDetail, useMonitorStore } from '../monitor/useMonitor';
import type { MonitorStore } from '../monitor/store';

// The Ações column of Análise da Operação (seed: "Visualizar detalhes da solicitação" and
// "Visualizar Conversa"): the Ficha de Atendimento and the conversation, both from the monitor's
// modals, kept live by the supervisor's monitor stream while the screen is open.

interface Opener {
  record(id: string, agentName: string | null): void;
  conversation(id: string): void;
}

const OpenerContext = createContext<Opener | null>(null);

/** The Ficha de Atendimento of one conversation, on its own. */
function RecordModal({ store, target, onClose }: { store: MonitorStore; target: { id: string; agentName: string | null } | null; onClose(): void }) {
  const { t } = useTranslation('analysis');
  const { t: tm } = useTranslation('monitor');
  const d = useConversationDetail(store, target?.id ?? null);
  const view = d?.view ?? null;
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      size="min(820px, 96vw)"
      zIndex={300}
      title={<Text fw={700} size="sm">{view ? `${tm('monitor.record.title')} · ${view.protocol}` : tm('monitor.record.title')}</Text>}
      data-testid="record-modal"
    >
      {view ? (
        <ConversationRecord view={view} agentName={target?.agentName ?? ''} />
      ) : d?.status === 'error' ? (
        <Text c="red" size="sm">{t('analysis.record.failed')}</Text>
      ) : (
        <Center py="lg"><Group gap="xs"><Loader size="xs" /><Text size="sm" c="dimmed">{t('analysis.record.loading')}</Text></Group></Center>
      )}
    </Modal>
  );
}

/** Gives the screen inside it the monitor's store and the two modals of the Ações column. */
export function ConversationActionsFrame({ children }: { children: ReactNode }) {
  const store = useMonitorStore();
  const [record, setRecord] = useState<{ id: string; agentName: string | null } | null>(null);
  const [conversation, setConversation] = useState<string | null>(null);
  const opener = useMemo<Opener>(() => ({ record: (id, agentName) => setRecord({ id, agentName }), conversation: setConversation }), []);
  return (
    <StoreContext.Provider value={store}>
      <OpenerContext.Provider value={opener}>
        {children}
        <RecordModal store={store} target={record} onClose={() => setRecord(null)} />
        <ConversationModal id={conversation} chat={false} onClose={() => setConversation(null)} />
      </OpenerContext.Provider>
    </StoreContext.Provider>
  );
}

/** Opens the Ficha de Atendimento or the conversation of a row from elsewhere (a campaign's recipient). */
export function useConversationOpener(): Opener {
  const open = useContext(OpenerContext);
  if (!open) throw new Error('useConversationOpener outside ConversationActionsFrame');
  return open;
}

/** The two buttons of a row's Ações. */
export function ConversationActions({ id, protocol, agentName }: { id: string; protocol: string; agentName: string | null }) {
  const { t } = useTranslation('analysis');
  const open = useContext(OpenerContext);
  if (!open) throw new Error('ConversationActions outside ConversationActionsFrame');
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={t('analysis.actions.record')} withArrow>
        <ActionIcon variant="subtle" aria-label={`${t('analysis.actions.record')} ${protocol}`} onClick={() => open.record(id, agentName)} data-testid="action-record">
          <IconFileDescription size={18} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t('analysis.actions.conversation')} withArrow>
        <ActionIcon variant="subtle" color="teal" aria-label={`${t('analysis.actions.conversation')} ${protocol}`} onClick={() => open.conversation(id)} data-testid="action-conversation">
          <IconMessages size={18} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
