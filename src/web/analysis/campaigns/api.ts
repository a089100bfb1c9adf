// The campaigns API (contracts/campaigns.ts) through the typed client, and the cache the screen and
// the monitor stream's `campaign.updated` events share.
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Campaign, RecipientStatus } from '../../../contracts/campaigns';
import { call } from '../../api';
import { isStale } from './campaign-form';

export type CampaignPage = { rows: Campaign[]; next: string | null };

export const campaignKeys = {
  list: ['campaigns', 'list'] as const,
  one: (id: string) => ['campaigns', 'one', id] as const,
  recipients: (id: string) => ['campaigns', 'recipients', id] as const,
};

export const listCampaigns = (cursor: string | null) => call('getCampaigns', { query: { cursor: cursor ?? undefined } });
export const getCampaign = (id: string) => call('getCampaignsById', { params: { id } });
export const listRecipients = (id: string, status: RecipientStatus | null, cursor: string | null) =>
  call('getCampaignsByIdRecipients', { params: { id }, query: { status: status ?? undefined, cursor: cursor ?? undefined, limit: 50 } });

export type CampaignAction = 'pause' | 'resume' | 'cancel';
export function act(id: string, action: CampaignAction): Promise<Campaign> {
  if (action === 'pause') return call('postCampaignsByIdPause', { params: { id } });
  if (action === 'resume') return call('postCampaignsByIdResume', { params: { id } });
  return call('postCampaignsByIdCancel', { params: { id } });
}

/** Which actions a campaign's state allows (the server answers 409 to the others). */
export function actionsFor(status: Campaign['status']): CampaignAction[] {
  if (status === 'running' || status === 'scheduled') return ['pause', 'cancel'];
  if (status === 'paused') return ['resume', 'cancel'];
  return [];
}

/** A campaign's view (an event's, an action's answer) into the cache: its row of the list (a new one on top) and its own entry; an older view than the one held is dropped. */
export function putCampaign(qc: QueryClient, c: Campaign): void {
  const known = qc.getQueryData<Campaign>(campaignKeys.one(c.id))
    ?? qc.getQueryData<InfiniteData<CampaignPage, string | null>>(campaignKeys.list)?.pages.flatMap((p) => p.rows).find((r) => r.id === c.id);
  if (isStale(c, known)) return;
  qc.setQueryData<Campaign>(campaignKeys.one(c.id), c);
  qc.setQueryData<InfiniteData<CampaignPage, string | null>>(campaignKeys.list, (data) => {
    if (!data) return data;
    let found = false;
    const pages = data.pages.map((p) => ({
      ...p,
      rows: p.rows.map((r) => {
        if (r.id !== c.id) return r;
        found = true;
        return c;
      }),
    }));
    if (!found && pages[0]) pages[0] = { ...pages[0], rows: [c, ...pages[0].rows] };
    return { ...data, pages };
  });
}
