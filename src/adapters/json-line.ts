// One line of a JSON-lines stream (OpenTofu's -json UI, Ansible's jsonl callback) as an object,
// or undefined for plain text, broken JSON and non-objects: tools mix both on their output.
export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const o = JSON.parse(t) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
