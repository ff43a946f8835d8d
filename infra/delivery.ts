import { Duration } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { LoadBalancerV2Origin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
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
 * One CloudFront distribution, behind a WAF web ACL: renditions straight
 * from the media bucket (Origin Access Control, cached for a year, since a
 * rendition's key changes whenever its bytes do), everything else from the
 * API, uncached. A CLOUDFRONT web ACL lives in us-east-1: the stack makes one
 * there, elsewhere it takes the ARN of one (settings: webAclArn).
 */
export class Delivery extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: { mediaBucket: IBucket; api: IApplicationLoadBalancer; logs: IBucket; webAclArn?: string }) {
    super(scope, id);
    const webAclArn = props.webAclArn ?? this.webAcl().attrArn;
    const renditions = new CachePolicy(this, 'Renditions', {
      comment: 'medialake renditions: immutable keys',
      defaultTtl: Duration.days(365),
      minTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'medialake: renditions and API',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      webAclId: webAclArn,
      enableLogging: true,
      logBucket: props.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        // The ALB has no certificate of its own; CloudFront speaks HTTPS to viewers.
        origin: new LoadBalancerV2Origin(props.api, { protocolPolicy: OriginProtocolPolicy.HTTP_ONLY, readTimeout: Duration.seconds(60) }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      additionalBehaviors: {
        'renditions/*': {
          origin: S3BucketOrigin.withOriginAccessControl(props.mediaBucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: renditions,
          compress: true,
        },
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
          statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: 'IP' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'RateLimit', sampledRequestsEnabled: true },
        },
      ],
    });
  }
}
