import { Navigate, type RouteObject } from 'react-router-dom';
import type { TFunction } from 'i18next';
import type { Role } from '../contracts/common';
import type { NavSection } from './ui/AppLayout';
import { PauseReasonsPage } from './admin/PauseReasonsPage';

const ADMIN: Role[] = ['admin'];

/** The side menu, by role. Each area adds its entries here and its routes below. */
export function navSections(t: TFunction): NavSection[] {
  return [
    {
      label: t('nav.admin'),
      items: [{ to: '/admin/pause-reasons', label: t('nav.pauseReasons'), roles: ADMIN }],
    },
  ];
}

export const routes: RouteObject[] = [
  { path: 'admin/pause-reasons', element: <PauseReasonsPage /> },
];

export function homePath(role: Role): string {
  return role === 'admin' ? '/admin/pause-reasons' : '/admin/pause-reasons';
}

export const HomeRedirect = ({ role }: { role: Role }) => <Navigate to={homePath(role)} replace />;
