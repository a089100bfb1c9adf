export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <circle cx="16" cy="16" r="14" fill="#0b7285" />
      <circle cx="16" cy="16" r="9" fill="none" stroke="white" strokeWidth="2" opacity="0.6" />
      <circle cx="16" cy="16" r="4" fill="white" />
    </svg>
  );
}
