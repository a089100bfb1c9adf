import { messengerAdapter } from '../messenger/adapter.js';

// Facebook Messenger: a Page's conversations (channels.md §3). The Messenger Platform's webhook,
// Send API and window are shared with Instagram Direct (../messenger/).
export const facebookAdapter = messengerAdapter('facebook');
