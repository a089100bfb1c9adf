import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import * as common from './common';
import * as admin from '../admin/i18n';
import * as desk from '../desk/i18n';
import * as monitor from '../monitor/i18n';

export const LANGUAGES = ['pt-BR', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'mirante.language';

export function storedLanguage(): Language {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'en' ? 'en' : 'pt-BR';
}

export function setLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: {
    'pt-BR': { translation: { ...common.ptBR, ...admin.ptBR, ...desk.ptBR, ...monitor.ptBR } },
    en: { translation: { ...common.en, ...admin.en, ...desk.en, ...monitor.en } },
  },
  lng: storedLanguage(),
  fallbackLng: 'pt-BR',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = storedLanguage();

export default i18n;
