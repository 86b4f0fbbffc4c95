// STOP, HELP and anything else, answered as Twilio's conventions say: STOP (and START)
// get an empty answer (Twilio's opt-out handles them), HELP a help text, anything
// else a help text too; none of them approves anything.
import { describe, expect, it } from 'vitest';
import { azuriteForThisFile } from '../helpers/azurite.js';
import { alice, bindingFor, createHarness, eventsOf, offerFor } from './approval-harness.js';

const azurite = azuriteForThisFile();
const help =
  'serverless-admission: to admit a blocked change, reply APPROVE and the 6-digit code from its BLOCKED text. Reply STOP to stop texts.';

describe('a reply that is not APPROVE and a code', () => {
  it.each([
    ['STOP', '', 'approval.opt-out'],
    ['stop', '', 'approval.opt-out'],
    ['UNSUBSCRIBE', '', 'approval.opt-out'],
    ['START', '', 'approval.opt-in'],
    ['HELP', help, 'approval.help'],
    ['info', help, 'approval.help'],
    ['yes please', `Not understood. ${help}`, 'approval.unknown'],
    ['APPROVE', `Not understood. ${help}`, 'approval.unknown'],
    ['APPROVE 12345', `Not understood. ${help}`, 'approval.unknown'],
  ])('%s is answered %j and approves nothing', async (body, text, event) => {
    const h = createHarness(azurite().connectionString);
    await h.issue(offerFor());
    const reply = await h.reply(alice, body);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(text);
    expect(eventsOf(reply.lines)).toEqual([event]);
    expect(await h.claims.claim(bindingFor(), { dryRun: true })).toBeUndefined();
  });

  it('answers STOP with an empty TwiML response', async () => {
    const h = createHarness(azurite().connectionString);
    const reply = await h.reply(alice, 'STOP');
    expect(reply.response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('escapes what it answers as XML', async () => {
    const h = createHarness(azurite().connectionString);
    const { code } = await h.issue(offerFor({ ...bindingFor(), name: 'web<&>' }));
    const reply = await h.reply(alice, `APPROVE ${code}`);
    expect(String(reply.response.body)).not.toMatch(/web<|&>/);
  });
});
