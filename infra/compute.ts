import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Port, type ISecurityGroup, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerImage, type ContainerDefinition, ContainerInsights, CpuArchitecture, FargateService, FargateTaskDefinition, LogDrivers, OperatingSystemFamily, Secret as EcsSecret, type ContainerDefinitionOptions } from 'aws-cdk-lib/aws-ecs';
import { ApplicationLoadBalancedFargateService } from 'aws-cdk-lib/aws-ecs-patterns';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { CloudFrontOrigins } from './cloudFrontOrigins';
import type { ServeRole } from '../app/config';
import { CONSUMER_LAG_METRIC, WORKERS_ROLE } from '../app/consumerLagEmf';
import { DATA_DIRECTORY, serviceEnvironment } from './lakeEnvironment';
import type { Settings } from './settings';

export const PORT = 8080;
/** The repository root: the Dockerfile's build context. */
const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));

/** ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/NAME[:TAG|@DIGEST] */
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)(?::([^@]+)|@(sha256:[0-9a-f]{64}))?$/;

/**
 * An image pushed beforehand (settings: image). One in ECR is pulled with the
 * task execution role, which is granted it (a registry image given by URI
 * alone gets no ECR permission, and its tasks could not start); any other
 * registry is reached as it is.
 */
function pushedImage(scope: Construct, uri: string): ContainerImage {
  const ecr = ECR_IMAGE.exec(uri);
  if (!ecr) return ContainerImage.fromRegistry(uri);
  const [, account, region, china, name, tag, digest] = ecr;
  const repository = Repository.fromRepositoryAttributes(scope, 'PushedImage', {
    repositoryArn: `arn:${china ? 'aws-cn' : 'aws'}:ecr:${region}:${account}:repository/${name}`,
    repositoryName: name!,
  });
  return ContainerImage.fromEcrRepository(repository, digest ?? tag ?? 'latest');
}

/**
 * The metric the operators' alarm watches: the largest number of events any
 * of the stack's consumers is behind (`medialake status` shows it per
 * consumer). Every task writes it, as Embedded Metric Format lines that its
 * log group turns into this metric, under the namespace the tasks are given
 * (MEDIALAKE_CLOUDWATCH_NAMESPACE; app/consumerLagEmf.ts): the stack's name,
 * so that a second stack in the account and region scales and alarms on its
 * own consumers.
 */
export function consumerLag(scope: IConstruct): Metric {
  return new Metric({ namespace: Stack.of(scope).stackName, metricName: CONSUMER_LAG_METRIC, statistic: 'Maximum', period: Duration.minutes(1) });
}

/** The same, of the consumers the workers run (the processors, the pipeline runner): what more workers would shorten. */
export function workersLag(scope: IConstruct): Metric {
  return consumerLag(scope).with({ dimensionsMap: { Role: WORKERS_ROLE } });
}

/** The role every lake task runs as; the read models and the log grant to it. */
export function lakeTaskRole(scope: Construct): Role {
  return new Role(scope, 'LakeTaskRole', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'medialake API and worker tasks' });
}

/** How long a new API task may take to fold the log into its projections before ECS counts the load balancer's checks (about 1,000,000 events a minute). */
export const READY_GRACE = Duration.hours(1);

/** ECS's default of 30 s SIGKILLs a worker still finishing a video proxy (shutdowns took 14–29 s); 120 s is the most Fargate allows. */
export const STOP_TIMEOUT = Duration.seconds(120);

/**
 * One image, two services, each running `medialake serve` in a role
 * (docs/scale.md): the API behind a load balancer that takes CloudFront's
 * traffic only, scaling on CPU; the workers, which consume the log, scaling
 * on consumer lag. An API task runs two containers on one data directory:
 * `--role api` (the HTTP API and the notification poller, no processors) and
 * `--role projections`, which folds the per-host SQLite projections the API
 * reads (audit, collections, principals, pipelines, …), since no role does
 * both without the processors. The workers run the processors (which fold
 * the per-host projections their pipelines read). Both poll the notification
 * queue unless a Lambda function handles it. The chain key comes from
 * Secrets Manager, never the plain environment.
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
    const image = settings.image ? pushedImage(this, settings.image) : ContainerImage.fromAsset(REPOSITORY);
    // 64 letters and digits read as base64 are 48 bytes: above the 32 a chain key needs (log/chainKey.ts).
    this.chainKey = new Secret(this, 'ChainKey', {
      description: 'medialake: the key the log hash chain is signed with (MEDIALAKE_CHAIN_KEY)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    /** A `serve` process in one role, listening on `port` (every role answers /health there). */
    const container = (logGroup: LogGroup, streamPrefix: string, role: ServeRole, port: number, published: boolean): ContainerDefinitionOptions => ({
      image,
      command: ['serve'],
      environment: {
        ...props.environment,
        ...serviceEnvironment(port),
        MEDIALAKE_ROLE: role,
        MEDIALAKE_CLOUDWATCH_NAMESPACE: consumerLag(this).namespace,
        // The lake's own deadline comes first, so that it says what it gave up on before ECS kills it.
        MEDIALAKE_SHUTDOWN_SECONDS: String(STOP_TIMEOUT.toSeconds() - 10),
      },
      secrets: { MEDIALAKE_CHAIN_KEY: EcsSecret.fromSecretsManager(this.chainKey) },
      logging: LogDrivers.awsLogs({ logGroup, streamPrefix }),
      ...(published && { portMappings: [{ containerPort: port }] }),
      stopTimeout: STOP_TIMEOUT,
      healthCheck: { command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`], startPeriod: Duration.seconds(60) },
    });
    /** A task whose containers share one data directory, a volume of the task's ephemeral storage (the image declares it a VOLUME, so it keeps the image's owner). */
    const taskDefinition = (name: string, cpu: number, memoryLimitMiB: number, processes: { id: string; role: ServeRole; port: number; published: boolean }[]) => {
      const definition = new FargateTaskDefinition(this, `${name}Task`, {
        cpu,
        memoryLimitMiB,
        taskRole,
        ephemeralStorageGiB: 50,
        runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
      });
      definition.addVolume({ name: 'data' });
      const logGroup = new LogGroup(this, `${name}Logs`, { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
      this.logGroups.push(logGroup);
      for (const { id, role, port, published } of processes) {
        const added = definition.addContainer(id, container(logGroup, id === 'lake' ? name : `${name}-${id}`, role, port, published));
        added.addMountPoints({ sourceVolume: 'data', containerPath: DATA_DIRECTORY, readOnly: false });
        this.containers.push(added);
      }
      return definition;
    };

    this.api = new ApplicationLoadBalancedFargateService(this, 'Api', {
      cluster,
      // The first container is the one the load balancer reaches; the projections container only answers /health, on the next port.
      taskDefinition: taskDefinition('Api', settings.apiCpu, settings.apiMemoryMiB, [
        { id: 'lake', role: 'api', port: PORT, published: true },
        { id: 'projections', role: 'projections', port: PORT + 1, published: false },
      ]),
      desiredCount: settings.apiMinTasks,
      publicLoadBalancer: true,
      openListener: false,
      securityGroups: props.securityGroups,
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
      // A new task is out of the load balancer until its projections have folded the log (GET /ready), which on a long
      // history takes a while: the grace keeps ECS from replacing it meanwhile. Its container's check (/health) is its liveness.
      healthCheckGracePeriod: READY_GRACE,
    });
    this.api.loadBalancer.connections.allowFrom(new CloudFrontOrigins(this, 'CloudFront').peer, Port.tcp(80), 'CloudFront, the only way in');
    // CloudFront asks the load balancer by the balancer's own name (it forwards every viewer header but Host): the API's Host check must take it.
    const apiContainer = this.api.taskDefinition.defaultContainer!;
    apiContainer.addEnvironment('MEDIALAKE_ALLOWED_HOSTS', JSON.stringify([this.api.loadBalancer.loadBalancerDnsName]));
    // CloudFront → load balancer → task. The API believes the X-Forwarded-* headers of the load balancer, by
    // the addresses of the subnets it lives in (api.trustProxy), so a client's address is the one the balancer
    // saw. Not a hop count (2): app/config.ts refuses one, and Fastify trusts nothing with one, since a hop
    // count cannot tell the balancer from a client that names addresses itself.
    apiContainer.addEnvironment('MEDIALAKE_TRUST_PROXY', vpc.publicSubnets.map((subnet) => subnet.ipv4CidrBlock).join(','));
    this.api.targetGroup.configureHealthCheck({ path: '/ready', healthyHttpCodes: '200' });
    this.api.loadBalancer.logAccessLogs(props.accessLogs, 'api-alb');
    this.api.loadBalancer.setAttribute('routing.http.drop_invalid_header_fields.enabled', 'true');
    this.api.service.autoScaleTaskCount({ minCapacity: settings.apiMinTasks, maxCapacity: settings.apiMaxTasks }).scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    this.workers = new FargateService(this, 'Workers', {
      cluster,
      taskDefinition: taskDefinition('Worker', settings.workerCpu, settings.workerMemoryMiB, [{ id: 'lake', role: 'processors', port: PORT, published: true }]),
      desiredCount: settings.workerMinTasks,
      securityGroups: props.securityGroups,
      circuitBreaker: { rollback: true },
      minHealthyPercent: 100,
    });
    this.workers.autoScaleTaskCount({ minCapacity: settings.workerMinTasks, maxCapacity: settings.workerMaxTasks }).scaleOnMetric('ConsumerLag', {
      metric: workersLag(this),
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
