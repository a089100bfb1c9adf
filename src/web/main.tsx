import './zod-config';
import { StrictMode, useMemo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import './i18n';
import { SessionProvider, useSession } from './auth/session';
import { LoginPage } from './auth/LoginPage';
import { AppLayout } from './ui/AppLayout';
import { HomeRedirect, navSections, routes } from './routes';
import { cssVariablesResolver, themeIn } from './ui/theme';

// the server's Content-Security-Policy admits <style> elements only with this page's nonce: Mantine
// takes it as a prop, the modals' scroll lock (react-remove-scroll, through get-nonce) from this global
const styleNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
if (styleNonce) (globalThis as { __webpack_nonce__?: string }).__webpack_nonce__ = styleNonce;
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function App() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Routes>
      <Route element={<AppLayout sections={navSections(t, me)} />}>
        <Route index element={<HomeRedirect role={me.role} />} />
        {routes.map((r) => <Route key={r.path} path={r.path} element={r.element} />)}
        <Route path="*" element={<HomeRedirect role={me.role} />} />
      </Route>
    </Routes>
  );
}

/** Mantine with the theme in the screen's language (the close buttons' names follow it). */
function Themed({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const theme = useMemo(() => themeIn(t('common.close')), [t, i18n.language]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} getStyleNonce={styleNonce ? () => styleNonce : undefined}>
      {children}
    </MantineProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Themed>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionProvider fallback={<LoginPage />}>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </Themed>
  </StrictMode>,
);
