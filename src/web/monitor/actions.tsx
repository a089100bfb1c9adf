import { createContext, useContext } from 'react';
import type { ConversationView } from '../../contracts/conversations';
import type { MonitorState, MonitorStore } from './store';

/** What a detail list shows: its title, its columns, and how it picks its (live) rows. */
export interface ListSpec {
  title: string;
  variant: 'position' | 'services' | 'interaction';
  select(state: MonitorState, now: number, serviceId: string | null): ConversationView[];
  /** the service filter on top of the list, preselected */
  serviceId?: string | null;
}

/** The clicks of Início: each tab asks the page to open a list, a conversation, an agent… */
export interface MonitorActions {
  openList(spec: ListSpec): void;
  openConversation(id: string, chat?: boolean): void;
  openAgent(agentId: string): void;
  allocate(c: ConversationView): void;
  returnToGroup(c: ConversationView): void;
}

export const ActionsContext = createContext<MonitorActions | null>(null);

export function useActions(): MonitorActions {
  const a = useContext(ActionsContext);
  if (!a) throw new Error('useActions outside MonitorPage');
  return a;
}

export const StoreContext = createContext<MonitorStore | null>(null);

export function useStore(): MonitorStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStore outside MonitorPage');
  return s;
}
