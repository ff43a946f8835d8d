import { Duration } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { LoadBalancerV2Origin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { VIEWER_PROTOCOL_HEADER } from '../api/viewerProtocol';
import type { IApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** AWS managed rule groups, in the order WAF evaluates them. */
const MANAGED_RULES = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'];

/** Uploads (POST /assets) carry bodies far above the common rule set's 8 KB: counted, not blocked; the API bounds them itself. */
const UPLOADS = [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }];

function managedRule(name: string, priority: number): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(name === 'AWSManagedRulesCommonRuleSet' && { ruleActionOverrides: UPLOADS }) } },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
  };
}

/**
 * One CloudFront distribution, behind a WAF web ACL, in front of the API
 * alone, uncached. Renditions are served by the API
 * (/assets/:id/renditions/:name), which checks who asks and whether the asset
 * is still there: a path straight to the media bucket would skip both, and a
 * cached copy would outlive a deleted or erased asset. So CloudFront has no
 * access to the bucket at all. A CLOUDFRONT web ACL lives in us-east-1: the
 * stack makes one there, elsewhere it takes the ARN of one (settings: webAclArn).
 */
export class Delivery extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: { api: IApplicationLoadBalancer; logs: IBucket; webAclArn?: string }) {
    super(scope, id);
    const webAclArn = props.webAclArn ?? this.webAcl().attrArn;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'medialake: the API and web UI',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      webAclId: webAclArn,
      enableLogging: true,
      logBucket: props.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        // The ALB has no certificate of its own; CloudFront speaks HTTPS to viewers.
        // The balancer's X-Forwarded-Proto names its own listener (http): the API learns the viewer's scheme, for its cookie's Secure, from this header.
        origin: new LoadBalancerV2Origin(props.api, {
          protocolPolicy: OriginProtocolPolicy.HTTP_ONLY,
          readTimeout: Duration.seconds(60),
          customHeaders: { [VIEWER_PROTOCOL_HEADER]: 'https' },
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
  }

  private webAcl(): CfnWebACL {
    return new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'medialake', sampledRequestsEnabled: true },
      rules: [
        ...MANAGED_RULES.map((name, index) => managedRule(name, index)),
        {
          name: 'RateLimit',
          priority: MANAGED_RULES.length,
          action: { block: {} },
          // Per address, over five minutes; not the renditions a grid of thumbnails asks for many at a time: the API limits
          // those per principal (api/hardening.ts, ten times the rest), where one address (an office behind one NAT) is many people.
          statement: {
            rateBasedStatement: {
              limit: 10_000,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                notStatement: {
                  statement: { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'CONTAINS', searchString: '/renditions/', textTransformations: [{ priority: 0, type: 'NONE' }] } },
                },
              },
            },
          },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'RateLimit', sampledRequestsEnabled: true },
        },
      ],
    });
  }
}
