// Twilio's message statuses, in the order a text goes through them, and the carrier
// errors that say the number itself can never receive a text. Twilio reports these
// only through status callbacks, after it has accepted the text (HTTP 201).

/** The states a text's row records; `unknown` stands for a status this release does not know. */
export type MessageState = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read';

// Callbacks may arrive out of order (`sent` after `delivered`) and more than once: a
// state only ever moves forward, and the final ones (rank 3) never change again.
const ranks: Readonly<Record<string, number>> = {
  accepted: 0,
  scheduled: 0,
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  canceled: 3,
  read: 4, // after delivered, on channels that report it
};

const rankOf = (state: string): number => ranks[state] ?? -1;

/** Whether a text in state `from` may move to `to`: forward only, and a failure or cancel is the end. */
export function movesForward(from: string, to: string): boolean {
  const ended = rankOf(from) >= 3 && from !== 'delivered';
  return !ended && rankOf(to) > rankOf(from);
}

export const isFailedDelivery = (state: string): boolean => state === 'undelivered' || state === 'failed';

/**
 * Carrier errors about the number, not the text or the sender: no later text to it
 * can pass until the number (or its owner's settings) changes. Chosen narrowly, since
 * a mark silences every alert to that phone:
 * - 30003 (unreachable: phone off or out of coverage) is temporary;
 * - 30007 (carrier filtering) judges the text and the sender, and the next text differs;
 * - 30034 (unregistered US A2P 10DLC sender) is the sender's, true of every US number;
 * - 30008 (unknown) and the rest say nothing certain about the number.
 */
export const permanentDeliveryCodes: ReadonlyMap<number, string> = new Map([
  [30004, 'message blocked: the recipient or their carrier blocks texts from this sender'],
  [30005, 'unknown destination: the number does not exist or is no longer in service'],
  [30006, 'landline or unreachable carrier: the number cannot receive texts'],
]);
