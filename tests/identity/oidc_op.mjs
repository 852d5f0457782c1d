// A real OpenID Provider for the sign-in tests: the certified `oidc-provider` package (npm,
// package.json devDependencies), on 127.0.0.1. Started by tests/identity/conftest.py:
//
//   node tests/identity/oidc_op.mjs '{"port": 0, "issuer": "...", "client_id": "...",
//     "client_secret": "...", "redirect_uri": "...", "users": {"jdoe": {...}}}'
//
// It prints one line, "ready <port>", once it listens. Users sign in on the provider's own
// development pages (any password; the login names the account); their claims come from
// `users`. The site is a first-party client: its grant is given without a consent page.
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2]);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

const configuration = {
  clients: [{
    client_id: options.client_id,
    client_secret: options.client_secret,
    redirect_uris: [options.redirect_uri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [jwk] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
  },
  cookies: { keys: ['oidc-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const user = options.users[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: user.sub || id,
          email: user.email,
          email_verified: user.email_verified !== false,
          given_name: user.first_name,
          family_name: user.last_name,
          name: `${user.first_name} ${user.last_name}`,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
};

const provider = new Provider(options.issuer, configuration);
const server = createServer(provider.callback());
server.listen(options.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
