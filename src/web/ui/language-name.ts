const names = new Map<string, Intl.DisplayNames | null>();

/**
 * A language code as a person reads it, in the screen's language: "pt_BR" → "Português (Brasil)"
 * ("Portuguese (Brazil)" in English). A code the browser does not know is shown as it is.
 */
export function languageName(code: string | null | undefined, uiLanguage: string): string {
  if (!code) return '—';
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(code)) return code;
  let display = names.get(uiLanguage);
  if (display === undefined) {
    try {
      display = new Intl.DisplayNames([uiLanguage], { type: 'language', languageDisplay: 'standard' });
    } catch {
      display = null;
    }
    names.set(uiLanguage, display);
  }
  try {
    const name = display?.of(code.replace('_', '-'));
    return name ? name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1) : code;
  } catch {
    return code;
  }
}
