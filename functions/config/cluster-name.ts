// Cluster names appear in texts and logs, so they are held to a safe alphabet:
// AKS allows letters, digits, "_" and "-"; "." is allowed for names like prod.eu.
export const clusterNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export const clusterNameForm = '1-63 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** The name when it is well formed, otherwise null. */
export function parseClusterName(value: string): string | null {
  return clusterNamePattern.test(value) ? value : null;
}
