// DEVELOPMENT ONLY: npm run sms:reply -- APPROVE 482913 --from +15551230001
// Replies to a text as an approver would: posts a correctly signed incoming SMS to the
// local stack's sms-reply (the development host on FUNCTIONS_PORT, the local Twilio
// account of local-twilio.ts) and prints the TwiML answer. --sid SM... replays a reply.
import { e164Pattern } from '../../functions/core/index.js';
import { readSettingsOrExit, stackSettingSpecs } from './local-settings.js';
import { localReplyUrl, localTwilio } from './local-twilio.js';
import { postReply, signedReply } from './sms-reply-request.js';

const usage = 'usage: npm run sms:reply -- <text of the reply> --from <E.164 number> [--sid SM<32 hex digits>]';

function readArguments(args: readonly string[]): { body: string; from: string; sid: string | undefined } {
  const words: string[] = [];
  const flags = new Map<string, string>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg !== '--from' && arg !== '--sid') {
      words.push(arg);
      continue;
    }
    const value = args[index + 1];
    if (value === undefined) fail(`${arg} needs a value`);
    flags.set(arg, value);
    index++;
  }
  const from = flags.get('--from') ?? '';
  if (!e164Pattern.test(from)) fail('--from must be an E.164 number such as +15551230001');
  const sid = flags.get('--sid');
  if (sid !== undefined && !/^SM[0-9a-f]{32}$/.test(sid)) fail('--sid must be SM followed by 32 hex digits');
  if (words.length === 0) fail('the text of the reply is missing');
  return { body: words.join(' '), from, sid };
}

function fail(message: string): never {
  console.error(`sms:reply: ${message}\n${usage}`);
  process.exit(2);
}

const { FUNCTIONS_PORT: port } = readSettingsOrExit(stackSettingSpecs, process.env, 'sms:reply');
const { body, from, sid } = readArguments(process.argv.slice(2));
const url = localReplyUrl(port);
const reply = { body, from, to: localTwilio.number, accountSid: localTwilio.accountSid, messageSid: sid };
const request = signedReply(reply, url, localTwilio.authToken);
try {
  const { status, answer } = await postReply(url, request);
  console.log(`HTTP ${status} from ${url} (MessageSid ${request.fields.MessageSid})`);
  console.log(answer);
  process.exit(status === 200 ? 0 : 1);
} catch (error) {
  const reason = error instanceof Error ? error.message : 'failed';
  console.error(`sms:reply: could not reach ${url} (${reason}); is npm start running?`);
  process.exit(1);
}
