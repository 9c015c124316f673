/** Graph's error shape, `{ error: { code, message } }`; anything else becomes a generic code. */
export function graphError(text: string, status: number): { code: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'string') {
      return { code: parsed.error.code, message: String(parsed.error.message ?? '').slice(0, 500) };
    }
  } catch {
    // Not JSON: a proxy's HTML page or an empty body.
  }
  return { code: `Http${status}`, message: text.slice(0, 200) };
}
