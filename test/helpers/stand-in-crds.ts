// CustomResourceDefinitions for the kinds the cert-manager and Key Vault overlays carry,
// so that a test API server without cert-manager or the Secrets Store CSI driver takes
// them. Schemaless stand-ins: the controllers that act on them do not run here; the test
// plays their part where it matters (cert-manager's Secret, condition and CA injection).
function crd(group: string, kind: string, plural: string, version: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase() },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

export const standInCrds = [
  crd('cert-manager.io', 'Certificate', 'certificates', 'v1'),
  crd('cert-manager.io', 'Issuer', 'issuers', 'v1'),
  crd('secrets-store.csi.x-k8s.io', 'SecretProviderClass', 'secretproviderclasses', 'v1'),
];
