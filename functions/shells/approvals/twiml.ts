// Twilio's answer format for an incoming message: TwiML. A <Message> is sent back to
// the phone that wrote; an empty <Response/> sends nothing (STOP, and a number
// already told it is locked out).
export const twimlContentType = 'text/xml; charset=utf-8';

export function toTwiml(text: string): string {
  if (text === '') return '<?xml version="1.0" encoding="UTF-8"?><Response/>';
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
