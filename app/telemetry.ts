import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Config } from './config';

/**
 * The one place the OpenTelemetry SDK is set up, and only when
 * telemetry.otlpEndpoint (env OTEL_EXPORTER_OTLP_ENDPOINT) names a collector:
 * spans go there over OTLP/HTTP in batches, and the W3C propagator carries
 * trace context into the events (schemas/traceContext.ts). Without it the
 * product code's @opentelemetry/api calls are no-ops.
 */
export function startTelemetry(config: Pick<Config, 'telemetry' | 'serve'>): { shutdown(): Promise<void> } | undefined {
  const endpoint = config.telemetry.otlpEndpoint;
  if (!endpoint) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'medialake', 'medialake.role': config.serve.role }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href }))],
  });
  provider.register();
  return provider;
}
