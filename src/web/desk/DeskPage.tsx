import { useEffect, useRef, useState } from 'react';
import { Alert, Center, Paper, Text, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconInfoCircle, IconMessages } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../contracts/auth';
import { useSession } from '../auth/session';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import classes from './desk.module.css';
import { StatusBar } from './StatusBar';
import { IncomingCall } from './CallPanel';
import { openConversations } from './desk-state';
import { SupervisorChat } from './SupervisorChat';
import { OutboundModal } from './OutboundModal';
import { useDeskState, useDeskStore, useServiceNames } from './useDesk';

/** Atendimento: the agent desk. */
export function DeskPage() {
  const { t } = useTranslation('desk');
  const { me } = useSession();
  if (!me.agentEnabled) {
    return (
      <Alert icon={<IconInfoCircle />} color="yellow" title={t('desk.title')} maw={640}>
        {t('desk.notAgent')}
      </Alert>
    );
  }
  return <Desk me={me} />;
}

function Desk({ me }: { me: Me }) {
  const { t } = useTranslation('desk');
  const store = useDeskStore(me);
  const state = useDeskState(store);
  const serviceNames = useServiceNames(store);
  const wide = useMediaQuery('(min-width: 62em)', true);
  const roomy = useMediaQuery('(min-width: 88em)', true);
  const composer = useRef<HTMLTextAreaElement>(null);
  const list = openConversations(state);
  const selected = state.selectedId ? state.conversations.get(state.selectedId) ?? null : null;
  const agentState = state.agent?.state ?? 'offline';
  const [outbound, setOutbound] = useState(false);

  // Alt+↑ / Alt+↓ moves between conversations from anywhere on the desk
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      e.preventDefault();
      store.selectRelative(e.key === 'ArrowUp' ? -1 : 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  // wide screens open the first conversation by themselves; narrow ones show the list first
  useEffect(() => {
    if (wide && !state.selectedId && list.length > 0) store.select(list[0].view.id);
  }, [wide, state.selectedId, list.length, list, store]);

  // the agent picked a conversation (click, Alt+↑/↓): ready to type; not on phones, where focus opens the keyboard
  useEffect(() => {
    if (wide && state.selectedId) composer.current?.focus({ preventScroll: true });
  }, [wide, state.selectedId]);

  const showList = wide || !selected;
  const showPane = wide || !!selected;
  const whisperOpen = state.whisperPanelOpen && !!selected;

  return (
    <div className={`${classes.desk} ${wide ? '' : classes.narrow}`} data-testid="desk">
      <VisuallyHidden><h1>{t('desk.title')}</h1></VisuallyHidden>
      <StatusBar store={store} agent={state.agent} status={state.status} openCount={list.length} onNewOutbound={() => setOutbound(true)} />
      <OutboundModal store={store} opened={outbound} onClose={() => setOutbound(false)} />
      <IncomingCall store={store} selectedId={state.selectedId} nameOf={(id) => state.conversations.get(id)?.view.contactName || t('desk.list.unknownCustomer')} />
      <div className={classes.body}>
        {showList && (
          <ConversationList conversations={list} selectedId={state.selectedId} meId={me.id} serviceNames={serviceNames} agentState={agentState} onSelect={(id) => store.select(id)} />
        )}
        {showPane && (
          <div className={`${classes.paneCol} ${roomy ? '' : classes.overlay}`}>
            {selected ? (
              <>
                <ConversationPane
                  key={selected.view.id}
                  ref={composer}
                  store={store}
                  c={selected}
                  meId={me.id}
                  serviceName={serviceNames.get(selected.view.serviceId)}
                  whisperOpen={whisperOpen}
                  onToggleWhispers={() => store.setWhisperPanel(!state.whisperPanelOpen)}
                  onBack={wide ? undefined : () => store.select(null)}
                />
                {whisperOpen && (
                  <SupervisorChat
                    store={store}
                    c={selected}
                    meId={me.id}
                    onClose={() => {
                      store.setWhisperPanel(false);
                      document.querySelector<HTMLButtonElement>('[data-testid="supervisor-chat-button"]')?.focus();
                    }}
                  />
                )}
              </>
            ) : (
              <Paper withBorder radius="md" style={{ flex: 1 }}>
                <Center h="100%" p="xl">
                  <div style={{ textAlign: 'center' }}>
                    <IconMessages size={40} stroke={1.3} color="var(--mantine-color-gray-5)" aria-hidden />
                    <Text c="dimmed" size="sm" mt="xs">
                      {list.length ? t('desk.conversation.none') : t('desk.list.empty')}
                    </Text>
                  </div>
                </Center>
              </Paper>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
