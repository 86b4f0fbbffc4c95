// Notifications are data: who did what to which application, and why it matters.
// The decision produces them; the SMS pipeline turns them into text. They carry
// names, images and counts, never whole objects.
import type { Operation } from './admission-review.js';
import type { ApprovalOffer } from './approval.js';

/** Where and by whom: the facts every notification leads with. */
export interface NotificationSubject {
  /** Cluster name when known (CLUSTER_NAME, or the proxy's x-cluster-name header). */
  readonly cluster: string | undefined;
  /** A workload kind, or any other a rule names (`Namespace`). */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /**
   * The workload that owns the object, `Kind/name` (a Pod's ReplicaSet), when it has
   * a controller: texts about generated names are told apart by their owner.
   */
  readonly owner?: string | undefined;
  readonly operation: Extract<Operation, 'CREATE' | 'UPDATE'>;
  /** `request.subResource` when the request was for one (`scale`). */
  readonly subResource: 'scale' | undefined;
  /** `request.userInfo.username`. */
  readonly user: string;
  /** The AdmissionRequest uid, for correlation with the webhook's logs. */
  readonly uid: string;
  /** When the decision was made, ISO 8601. */
  readonly at: string;
}

export interface ContainerImage {
  readonly container: string;
  readonly image: string;
}

/** A request was denied; `reason` says why and `fix` how to get it admitted. */
export interface BlockedNotification extends NotificationSubject {
  readonly type: 'blocked';
  /** The names of the rules that denied (absent in messages of older releases). */
  readonly rules?: readonly string[] | undefined;
  readonly reason: string;
  readonly fix: string;
  /** Approve by reply: set when the route's approvers may admit this exact change once. */
  readonly approval?: ApprovalOffer | undefined;
}

/** A new application (Deployment) was admitted. */
export interface CreatedNotification extends NotificationSubject {
  readonly type: 'created';
  readonly replicas: number;
  readonly images: readonly ContainerImage[];
  /** Images left out to keep the queue message small; counted in the text. */
  readonly omitted?: number | undefined;
}

/** An application changed in a way ops care about; each change is a short phrase. */
export interface ChangedNotification extends NotificationSubject {
  readonly type: 'changed';
  readonly changes: readonly string[];
  /** Changes left out to keep the queue message small; counted in the text. */
  readonly omitted?: number | undefined;
}

/** A warn or audit rule that notifies found something; the request was admitted. */
export interface FlaggedNotification extends NotificationSubject {
  readonly type: 'flagged';
  readonly rules?: readonly string[] | undefined;
  readonly reason: string;
  readonly fix: string;
}

export type Notification = BlockedNotification | CreatedNotification | ChangedNotification | FlaggedNotification;
