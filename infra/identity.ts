import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, OAuthScope, UserPool, UserPoolClient, UserPoolDomain, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { physicalName } from './physicalName';

/** The lake's roles (docs/access.md): a Cognito group of the same name grants the role. */
export const ROLE_GROUPS = ['admin', 'editor', 'viewer'] as const;

/**
 * Who may use the lake: a Cognito user pool (no self sign-up; an admin adds
 * people and puts them in a group named after their role) and one public app
 * client for the web UI: authorization code with PKCE, no client secret,
 * returning to the lake's own address. The lake checks the pool's access
 * tokens itself (OIDC settings, from the environment below).
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  readonly signInDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: { url: string; retainData: boolean }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const role of ROLE_GROUPS) new UserPoolGroup(this, role, { userPool: this.userPool, groupName: role, description: `medialake role ${role}` });
    // Cognito's hosted sign-in needs a domain: a prefix unique to this stack, account and region.
    this.signInDomain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: physicalName(this, Stack.of(this).account) } });
    this.webClient = this.userPool.addClient('Web', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        // The web UI's sign-in routes (web/src/api/oidc.ts): the code comes back to one, sign-out ends at the other.
        callbackUrls: [`${props.url}/sign-in/callback`],
        logoutUrls: [`${props.url}/sign-in`],
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }

  /** The lake's OIDC settings for this pool (app/config.ts auth.oidc): Cognito's access tokens name the client in client_id and the groups in cognito:groups. */
  get environment(): Record<string, string> {
    return {
      MEDIALAKE_OIDC_ISSUER: `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`,
      MEDIALAKE_OIDC_AUDIENCES: this.webClient.userPoolClientId,
      MEDIALAKE_OIDC_GROUPS_CLAIM: 'cognito:groups',
      MEDIALAKE_OIDC_NAME_CLAIM: 'username',
      // Cognito's discovery document names the hosted sign-in's authorize and token endpoints, not its logout.
      MEDIALAKE_OIDC_LOGOUT_ENDPOINT: `${this.signInDomain.baseUrl()}/logout`,
    };
  }
}
