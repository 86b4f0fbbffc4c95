// The facts the proxy needs from a review it relays: the uid and apiVersion to answer
// with when the function cannot, and to check the function's answer against; and the
// namespace whose labels go with it (x-namespace-labels). All are read in one pass
// with json-scan.ts, which checks the body is JSON without building it.
import {
  type AdmissionReviewVersion,
  maxUidLength,
  admissionReviewVersions as versions,
} from '../functions/core/wire.js';
import { type ScannedValue, scanJson } from './json-scan.js';

export interface ReviewIdentity {
  readonly apiVersion: AdmissionReviewVersion;
  readonly uid: string;
}

/**
 * Real reviews nest about a dozen levels (object, spec, template, containers, ...);
 * 64 leaves room for deep custom resources and refuses bodies built to be deep.
 */
export const maxJsonDepth = 64;

// A uid of maxUidLength characters each written as a \u escape, with its quotes, fits.
const maxStringBytes = maxUidLength * 6 + 2;

const requestScan = {
  paths: ['apiVersion', 'kind', 'request.uid', 'request.namespace', 'request.kind.group', 'request.kind.kind'],
  maxDepth: maxJsonDepth,
  maxStringBytes,
};
const responseScan = {
  paths: ['apiVersion', 'kind', 'response.uid', 'response.allowed'],
  maxDepth: maxJsonDepth,
  maxStringBytes,
};

export type IdentityRead =
  | {
      readonly identity: ReviewIdentity;
      /** The namespace the object is in; undefined for cluster-scoped objects and Namespaces. */
      readonly namespace: string | undefined;
    }
  | { readonly invalid: string };

const versionForm = versions.join(' or ');

/** The uid and apiVersion of a request body, or why it is not an AdmissionReview the proxy relays. */
export function readReviewIdentity(body: Buffer): IdentityRead {
  const scan = scanJson(body, requestScan);
  if ('invalid' in scan) return { invalid: `not JSON the proxy accepts: ${scan.invalid}` };
  const apiVersion = toVersion(scan.found.get('apiVersion'));
  if (apiVersion === undefined) return { invalid: `apiVersion must be ${versionForm}` };
  if (scan.found.get('kind') !== 'AdmissionReview') return { invalid: 'kind must be AdmissionReview' };
  const uid = scan.found.get('request.uid');
  if (typeof uid !== 'string' || uid.length < 1 || uid.length > maxUidLength) {
    return { invalid: `request.uid must be a string of 1 to ${maxUidLength} characters` };
  }
  return { identity: { apiVersion, uid }, namespace: namespaceOf(scan.found) };
}

/**
 * `request.namespace`, except for a Namespace itself: the API server sets it to the
 * Namespace's name there, and a ValidatingAdmissionPolicy gives it no namespaceObject
 * (a namespaceSelector reads the Namespace's own labels).
 */
function namespaceOf(found: ReadonlyMap<string, ScannedValue>): string | undefined {
  const namespace = found.get('request.namespace');
  if (typeof namespace !== 'string' || namespace === '') return undefined;
  const isNamespace = found.get('request.kind.kind') === 'Namespace' && found.get('request.kind.group') === '';
  return isNamespace ? undefined : namespace;
}

/** Whether the function's answer is an AdmissionReview for this very request. */
export function checkReviewResponse(
  body: Buffer,
  identity: ReviewIdentity,
): 'ok' | 'invalid-response' | 'uid-mismatch' {
  const scan = scanJson(body, responseScan);
  if ('invalid' in scan) return 'invalid-response';
  const apiVersion = toVersion(scan.found.get('apiVersion'));
  const { found } = scan;
  const uid = found.get('response.uid');
  if (apiVersion === undefined || found.get('kind') !== 'AdmissionReview') return 'invalid-response';
  if (typeof uid !== 'string' || typeof found.get('response.allowed') !== 'boolean') return 'invalid-response';
  return uid === identity.uid && apiVersion === identity.apiVersion ? 'ok' : 'uid-mismatch';
}

function toVersion(value: ScannedValue | undefined): AdmissionReviewVersion | undefined {
  return versions.find((version) => version === value);
}
