// Name and number forms that settings, flags and policy files share. Each pattern
// comes with the words an error message uses for it, so no two places can describe
// the same form differently.

/** A DNS-1123 label: what Kubernetes allows for Service and Namespace names. */
export const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const dnsLabelForm = 'a DNS-1123 label (lowercase letters, digits, "-")';

/** A DNS-1123 subdomain: dot-separated labels, 253 characters at most. */
export const dnsNamePattern =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
export const dnsNameForm = 'a DNS name';

/** A phone number in E.164: "+", a country code and at most 15 digits in all. */
export const e164Pattern = /^\+[1-9]\d{6,14}$/;
export const e164Form = 'an E.164 number such as +15551234567';
