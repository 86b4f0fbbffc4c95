// Strings the cluster's users choose (image names, object names, the messages a rule
// builds from the object) go out from the ops number, which people trust. A crafted
// one must not become a link the phone offers to open (SMS phishing from a trusted
// sender) nor crowd out the rest of the text. So each is cut to a sane length, loses
// URL schemes, has dotted host names defanged (evil.com -> evil[.]com, the form
// incident reports use), and is quoted where it is shown: images and rule messages.
// Object names are not quoted: Kubernetes names cannot hold spaces or quotes.

/** Longest image reference, name or user kept whole; longer ones are cut with "...". */
export const maxValueLength = 80;
/** Longest rule message kept whole. */
export const maxMessageLength = 160;

// "http://", "hxxps://", "ftp://", "intent://": any scheme with its slashes.
const schemePattern = /\b[a-z][a-z0-9+.-]{0,20}:\/\//gi;
// Bare "scheme:" forms phones also open.
const bareSchemePattern = /\b(?:mailto|tel|sms|javascript|data):/gi;
// A dotted name whose last label could be a top-level domain: what phones turn into
// links ("evil.com", "a.b.io/x", "www.example"), not versions ("nginx:1.25").
const hostPattern = /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z]\b/gi;

/** Cuts `text` to `max` characters, marking the cut with "...". */
export function cutText(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 3).join('')}...`;
}

/** Removes URL schemes and defangs every dot of a host-like name. */
export function defang(text: string): string {
  return text
    .replace(schemePattern, '')
    .replace(bareSchemePattern, '')
    .replace(hostPattern, (host) => host.replaceAll('.', '[.]'));
}

/** A sentence from a rule: defanged and cut. */
export function safeMessage(text: string): string {
  return cutText(defang(text), maxMessageLength);
}

/** A rule's message to be shown in quotes: its own double quotes become single ones. */
export function quotedMessage(text: string): string {
  return safeMessage(text).replaceAll('"', "'");
}

/** A value someone typed (an image): defanged, cut and quoted, so it reads as data. */
export function quoteValue(text: string): string {
  return `"${cutText(defang(text).replaceAll('"', "'"), maxValueLength)}"`;
}

/**
 * An object name: Kubernetes allows only lowercase letters, digits, "-" and "." in
 * it, so it holds no scheme, space or quote; only its dots can make a link.
 */
export function safeName(text: string): string {
  return cutText(defang(text), maxValueLength);
}

/**
 * The requester. Human user names come from the cluster's identity provider; service
 * account names are chosen by anyone who may create one in a namespace, so those are
 * defanged like any other name.
 */
export function safeUser(text: string): string {
  return cutText(text.startsWith('system:serviceaccount:') ? defang(text) : text, maxValueLength);
}
