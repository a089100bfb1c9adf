import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../contracts/auth';
import type { Settings } from '../../contracts/settings';
import { ApiError, call, SESSION_CHECK_EVENT } from '../api';
import { setLanguage, storedLanguage, type Language } from '../i18n';

interface Session {
  me: Me;
  settings: Settings;
  logout(): Promise<void>;
  changeLanguage(lang: Language): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Loads the signed-in user and the parameters; renders `fallback` (the login page) without a session. */
export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const qc = useQueryClient();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const user = await call('getAuthMe');
        if (user.language !== storedLanguage()) setLanguage(user.language);
        return user;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: Infinity,
  });
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => call('getSettings'), enabled: !!me.data });
  // the session may have ended elsewhere (signed out, ended from another browser or by an admin): ask
  // again who is signed in. Nobody: a fresh page on the sign-in form, as after Sair; a new role: the
  // screens it allows.
  useEffect(() => {
    let checking = false;
    const check = async () => {
      if (checking) return;
      checking = true;
      try {
        const user = await call('getAuthMe');
        qc.setQueryData(['me'], user);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) window.location.assign('/');
      } finally {
        checking = false;
      }
    };
    const onCheck = () => void check();
    window.addEventListener(SESSION_CHECK_EVENT, onCheck);
    return () => window.removeEventListener(SESSION_CHECK_EVENT, onCheck);
  }, [qc]);
  if (me.isLoading || (me.data && settings.isLoading)) return null;
  if (!me.data || !settings.data) return <>{fallback}</>;
  const session: Session = {
    me: me.data,
    settings: settings.data,
    async logout() {
      await call('postAuthLogout');
      // a fresh page: every socket, cache and timer of the session goes with it
      window.location.assign('/');
    },
    async changeLanguage(lang) {
      setLanguage(lang);
      const updated = await call('patchAuthMe', { body: { language: lang } });
      qc.setQueryData(['me'], updated);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
