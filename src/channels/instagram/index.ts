import { messengerAdapter } from '../messenger/adapter.js';

// Instagram Direct through the Messenger Platform: an Instagram professional account linked to a
// Page, answered with the Page token (channels.md §4, path 1). Shared with Messenger: ../messenger/.
export const instagramAdapter = messengerAdapter('instagram');
