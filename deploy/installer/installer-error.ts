// The installer's failures, each with a stable code (the README's error table). Apart
// from the cluster client, so that reporting one never loads @kubernetes/client-node.

export type InstallerErrorCode =
  | 'NO_KUBECONFIG'
  | 'NO_CONTEXT'
  | 'UNREACHABLE'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'API_ERROR'
  | 'NOT_READY'
  | 'MISSING_INPUT'
  | 'CERTS_FAILED'
  | 'CERT_NAME_MISSING'
  | 'NOT_REGISTERED'
  | 'NOT_INSTALLED'
  | 'ROTATION_STALLED';

export class InstallerError extends Error {
  constructor(
    readonly code: InstallerErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InstallerError';
  }
}
