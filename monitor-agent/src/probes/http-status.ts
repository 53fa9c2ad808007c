// `expectStatus` such as "200-399" or "200,301,500-599" (the schema checks its shape).
export function statusMatcher(spec: string): (status: number) => boolean {
  const ranges = spec.split(',').map((part) => {
    const [lo, hi] = part.split('-').map(Number);
    return [lo, hi ?? lo] as const;
  });
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}
