// Loaded with `node --import`: makes importing twilio or @kubernetes/client-node fail
// loudly, so a test can prove an entry module does not pull them in at start-up.
import { register } from 'node:module';

const hooks = `
const forbidden = /^(twilio|@kubernetes\\/client-node)(\\/|$)/;
export async function resolve(specifier, context, next) {
  if (forbidden.test(specifier)) throw new Error('forbidden import at start-up: ' + specifier);
  return next(specifier, context);
}
`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
