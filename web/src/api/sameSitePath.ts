/** Only a path of this site: "//host/…" would leave it, and so would "/\host/…" (browsers read a backslash as a slash there). */
export const sameSitePath = (asked: string | null) => (asked?.startsWith('/') && !/^\/[/\\]/.test(asked) ? asked : '/');
