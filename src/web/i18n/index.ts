import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { i18nOptions } from './resources';

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

void i18n.use(initReactI18next).init({ ...i18nOptions, lng: storedLanguage() });
document.documentElement.lang = storedLanguage();

export default i18n;
