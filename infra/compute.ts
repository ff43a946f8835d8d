import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Port, type ISecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerImage, type ContainerDefinition, ContainerInsights, CpuArchitecture, FargateService, FargateTaskDefinition, LogDrivers, OperatingSystemFamily, Secret as EcsSecret, type ContainerDefinitionOptions } from 'aws-cdk-lib/aws-ecs';
import { ApplicationLoadBalancedFargateService } from 'aws-cdk-lib/aws-ecs-patterns';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { CloudFrontOrigins } from './cloudFrontOrigins';
import { serviceEnvironment } from './lakeEnvironment';
import type { Settings } from './settings';

export const PORT = 8080;
/** The repository root: the Dockerfile's build context. */
const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));

/**
 * The metric the workers scale on: the largest number of events any of the
 * lake's consumers is behind (`medialake status` shows it per consumer).
 * Every task writes it, as Embedded Metric Format lines that its log group
 * turns into this metric, under the namespace the tasks are given
 * (MEDIALAKE_CLOUDWATCH_NAMESPACE; app/consumerLagEmf.ts).
 */
export const CONSUMER_LAG = new Metric({ namespace: 'MediaLake', metricName: 'ConsumerLagEvents', statistic: 'Maximum', period: Duration.minutes(1) });

/** The role every lake task runs as; the read models and the log grant to it. */
export function lakeTaskRole(scope: Construct): Role {
  return new Role(scope, 'LakeTaskRole', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'medialake API and worker tasks' });
}

/**
 * One image, two services, both running `medialake serve` (the split of
 * serve into roles is the lake's later work): the API behind a load
 * balancer that takes CloudFront's traffic only, scaling on CPU; the
 * workers, which consume the log, scaling on consumer lag. Both poll the
 * notification queue unless a Lambda function handles it. The chain key
 * comes from Secrets Manager, never the plain environment.
 */
export class Compute extends Construct {
  readonly api: ApplicationLoadBalancedFargateService;
  readonly workers: FargateService;
  readonly chainKey: Secret;
  readonly logGroups: LogGroup[] = [];
  private readonly containers: ContainerDefinition[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: { vpc: IVpc; settings: Settings; taskRole: Role; environment: Record<string, string>; securityGroups: ISecurityGroup[]; accessLogs: IBucket; retention: RetentionDays },
  ) {
    super(scope, id);
    const { vpc, settings, taskRole } = props;
    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const image = settings.image ? ContainerImage.fromRegistry(settings.image) : ContainerImage.fromAsset(REPOSITORY);
    // 64 letters and digits read as base64 are 48 bytes: above the 32 a chain key needs (log/chainKey.ts).
    this.chainKey = new Secret(this, 'ChainKey', {
      description: 'medialake: the key the log hash chain is signed with (MEDIALAKE_CHAIN_KEY)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const container = (name: string): ContainerDefinitionOptions => {
      const logGroup = new LogGroup(this, `${name}Logs`, { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
      this.logGroups.push(logGroup);
      return {
        image,
        command: ['serve'],
        environment: { ...props.environment, ...serviceEnvironment(PORT), MEDIALAKE_CLOUDWATCH_NAMESPACE: CONSUMER_LAG.namespace },
        secrets: { MEDIALAKE_CHAIN_KEY: EcsSecret.fromSecretsManager(this.chainKey) },
        logging: LogDrivers.awsLogs({ logGroup, streamPrefix: name }),
        portMappings: [{ containerPort: PORT }],
        healthCheck: { command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${PORT}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`], startPeriod: Duration.seconds(60) },
      };
    };
    const taskDefinition = (name: string, cpu: number, memoryLimitMiB: number) => {
      const definition = new FargateTaskDefinition(this, `${name}Task`, {
        cpu,
        memoryLimitMiB,
        taskRole,
        ephemeralStorageGiB: 50,
        runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
      });
      this.containers.push(definition.addContainer('lake', container(name)));
      return definition;
    };

    this.api = new ApplicationLoadBalancedFargateService(this, 'Api', {
      cluster,
      taskDefinition: taskDefinition('Api', settings.apiCpu, settings.apiMemoryMiB),
      desiredCount: settings.apiMinTasks,
      publicLoadBalancer: true,
      openListener: false,
      securityGroups: props.securityGroups,
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
      healthCheckGracePeriod: Duration.seconds(90),
    });
    this.api.loadBalancer.connections.allowFrom(new CloudFrontOrigins(this, 'CloudFront').peer, Port.tcp(80), 'CloudFront, the only way in');
    // CloudFront asks the load balancer by the balancer's own name (it forwards every viewer header but Host): the API's Host check must take it.
    this.api.taskDefinition.defaultContainer!.addEnvironment('MEDIALAKE_ALLOWED_HOSTS', JSON.stringify([this.api.loadBalancer.loadBalancerDnsName]));
    this.api.targetGroup.configureHealthCheck({ path: '/health', healthyHttpCodes: '200' });
    this.api.loadBalancer.logAccessLogs(props.accessLogs, 'api-alb');
    this.api.loadBalancer.setAttribute('routing.http.drop_invalid_header_fields.enabled', 'true');
    this.api.service.autoScaleTaskCount({ minCapacity: settings.apiMinTasks, maxCapacity: settings.apiMaxTasks }).scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    this.workers = new FargateService(this, 'Workers', {
      cluster,
      taskDefinition: taskDefinition('Worker', settings.workerCpu, settings.workerMemoryMiB),
      desiredCount: settings.workerMinTasks,
      securityGroups: props.securityGroups,
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
    });
    this.workers.autoScaleTaskCount({ minCapacity: settings.workerMinTasks, maxCapacity: settings.workerMaxTasks }).scaleOnMetric('ConsumerLag', {
      metric: CONSUMER_LAG,
      scalingSteps: [
        { upper: 1_000, change: -1 },
        { lower: 10_000, change: +1 },
        { lower: 100_000, change: +3 },
      ],
      cooldown: Duration.minutes(3),
    });
  }

  /** Settings that depend on what is made after the services (the sign-in client returns to CloudFront's address). */
  addEnvironment(variables: Record<string, string>): void {
    for (const container of this.containers) for (const [name, value] of Object.entries(variables)) container.addEnvironment(name, value);
  }
}
