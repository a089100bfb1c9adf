import { Badge, DEFAULT_THEME, Drawer, Modal, Notification, createTheme, mergeThemeOverrides, type MantineThemeOverride, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// The app's Mantine theme. Contrast is settled here, once, not screen by screen (issue 22): Mantine's
// palettes put white text on cyan.6 at 2.8:1 and grey secondary text at 3.3:1, below WCAG AA's 4.5:1.
// The shades that carry text or sit under white text (6 to 9) are darkened, keeping their hue, just
// enough to pass AA on their own light shades; the light shades (0 to 5, backgrounds and borders)
// are Mantine's.

/** WCAG relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

const hex = (n: number) => Math.round(Math.max(0, Math.min(255, n))).toString(16).padStart(2, '0');

/** The colour scaled toward black until it reaches `ratio` against every background given. */
function darkenUntil(color: string, backgrounds: string[], ratio: number): string {
  let c = color;
  for (let f = 1; f > 0.2 && backgrounds.some((bg) => contrast(c, bg) < ratio); f -= 0.01) {
    c = `#${[1, 3, 5].map((i) => hex(parseInt(color.slice(i, i + 2), 16) * f)).join('')}`;
  }
  return c;
}

/**
 * The contrast every text-carrying shade reaches against white and the palette's light shades (0 for
 * tinted rows and cards, 1 and 2 for light badges and their hover): 6 is the filled and text colour,
 * 9 the light variant's text; 7 and 8 sit in between.
 */
export const SHADE_CONTRAST: Record<6 | 7 | 8 | 9, number> = { 6: 4.6, 7: 5.2, 8: 5.8, 9: 4.6 };

export function accessiblePalette(p: readonly string[]): MantineColorsTuple {
  const out = [...p];
  // white, the tinted backgrounds (0, 1) and the grey of system lines and hovered rows (2)
  const light = ['#ffffff', p[0], p[1], p[2]];
  for (const i of [6, 7, 8] as const) out[i] = darkenUntil(p[i], light, SHADE_CONTRAST[i]);
  // the light variant writes shade 9 on shade 1 (2 on hover), and it must stay the darkest
  out[9] = darkenUntil(p[9], light, Math.max(SHADE_CONTRAST[9], contrast(out[8], '#ffffff') + 0.3));
  return out as unknown as MantineColorsTuple;
}

const colors = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors)
    .filter(([name]) => name !== 'dark')
    .map(([name, p]) => [name, accessiblePalette(p)]),
);

/** Secondary ("dimmed") text: 5.5:1 on white, still above 4.5:1 on the grey of the page and of striped rows. */
export const DIMMED = '#5c636a';

const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': DIMMED },
  dark: {},
});

export const theme = createTheme({
  primaryColor: 'cyan',
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  colors,
  components: {
    // a badge is a word or two: in a row that runs short of room the text around it wraps, not the badge
    Badge: Badge.extend({ styles: { root: { flexShrink: 0, minWidth: 'max-content' } } }),
  },
});

export { cssVariablesResolver };

/**
 * The theme in the screen's language: every modal's, drawer's and notification's close button
 * carries an accessible name ("Fechar"), whoever opens it.
 */
export function themeIn(close: string): MantineThemeOverride {
  const closeButtonProps = { 'aria-label': close };
  return mergeThemeOverrides(theme, {
    components: {
      Modal: Modal.extend({ defaultProps: { closeButtonProps } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps } }),
    },
  });
}
