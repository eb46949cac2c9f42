import type { EventPayloadOf } from '../../../../shared/contract/index';
import { GAME_LABEL } from '../../../../shared/domain/game';
import { getApi } from '../../api/client';
import { useAppStore } from '../../app/app-store';

type News = EventPayloadOf<'notify:newIncidents'>;

function headline(p: News): { title: string; body: string; id: string | null } {
  const first = p.items[0]!;
  if (p.total === 1) {
    const game = first.game ? `${GAME_LABEL[first.game]} ` : '';
    return {
      title: `New ${game}${first.kind === 'hang' ? 'hang' : 'crash'}`,
      body: first.title,
      id: first.id,
    };
  }
  return {
    title: `${p.total} new crashes and hangs`,
    body: p.items.map((i) => i.title).join('\n'),
    id: null,
  };
}

/**
 * New crashes and hangs in the browser (serve mode): a browser notification when the user
 * allowed them, else a toast with an Open button. The desktop app shows its own (the shell);
 * main only sends these when notifications are on. Either way a clicked notice opens it.
 */
export function listenForNewIncidents(open: (id: string) => void): () => void {
  const api = getApi();
  const offNews = api.on('notify:newIncidents', (p) => {
    if (useAppStore.getState().info?.transport !== 'serve' || p.items.length === 0) return;
    const h = headline(p);
    const openIt = () => (h.id ? open(h.id) : useAppStore.getState().setView('incidents'));
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      const n = new Notification(h.title, { body: h.body });
      n.onclick = () => {
        window.focus();
        openIt();
      };
      return;
    }
    useAppStore.getState().notify(`${h.title}: ${h.body.split('\n')[0]}`, 'info', {
      label: h.id ? 'Open' : 'Show',
      run: openIt,
    });
  });
  const offOpen = api.on('notify:open', (p) => open(p.id));
  return () => {
    offNews();
    offOpen();
  };
}
