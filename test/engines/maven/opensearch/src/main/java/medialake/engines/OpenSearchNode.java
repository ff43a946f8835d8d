package medialake.engines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.ExtensiblePlugin;

/**
 * Test-only launcher: one embedded OpenSearch node (plain HTTP, no security plugin,
 * single-node discovery) with the k-NN plugin loaded from the classpath.
 *
 * <pre>
 * java -cp 'lib/*' medialake.engines.OpenSearchNode --base DIR [--parent-pid PID] [-Ekey=value ...]
 * </pre>
 *
 * Once the node has started it writes the bound HTTP port to DIR/http.port (atomically)
 * and prints "OPENSEARCH_READY http://host:port". It then runs until killed; SIGTERM
 * closes the node cleanly, and so does the death of --parent-pid. -E settings override
 * the defaults below (http.port and transport.port default to 0 = an ephemeral port).
 */
public final class OpenSearchNode {

    private static final String KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin";

    private static final String LOG4J2 = String.join("\n",
            "status = error",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.console.ref = console",
            "appender.header_warning.type = HeaderWarningAppender",
            "appender.header_warning.name = header_warning",
            "logger.deprecation.name = org.opensearch.deprecation",
            "logger.deprecation.level = deprecation",
            "logger.deprecation.appenderRef.console.ref = console",
            "logger.deprecation.appenderRef.header_warning.ref = header_warning",
            "logger.deprecation.additivity = false",
            "");

    private OpenSearchNode() {
    }

    public static void main(final String[] args) throws Exception {
        String base = null;
        long parentPid = -1;
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cluster.name", "medialake-test");
        settings.put("node.name", "node-1");
        settings.put("network.host", "127.0.0.1");
        settings.put("http.port", "0");
        settings.put("transport.port", "0");
        settings.put("discovery.type", "single-node");
        settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        settings.put("node.roles", "cluster_manager,data,ingest");

        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if ("--base".equals(arg) && i + 1 < args.length) {
                base = args[++i];
            } else if ("--parent-pid".equals(arg) && i + 1 < args.length) {
                parentPid = Long.parseLong(args[++i]);
            } else if (arg.startsWith("-E") && arg.indexOf('=') > 2) {
                final int eq = arg.indexOf('=');
                settings.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else {
                System.err.println("usage: OpenSearchNode --base DIR [--parent-pid PID] [-Ekey=value ...]; bad argument: " + arg);
                System.exit(2);
            }
        }
        if (base == null) {
            System.err.println("usage: OpenSearchNode --base DIR [--parent-pid PID] [-Ekey=value ...]");
            System.exit(2);
        }

        final Path basePath = Paths.get(base).toAbsolutePath();
        final Path portFile = basePath.resolve("http.port");
        Files.deleteIfExists(portFile);
        // The runner copies its own (file-appending) log4j2.properties only when none exists.
        final Path confDir = basePath.resolve("node_1").resolve("config");
        Files.createDirectories(confDir);
        Files.write(confDir.resolve("log4j2.properties"), LOG4J2.getBytes(StandardCharsets.UTF_8));

        LogConfigurator.setNodeName(settings.get("node.name"));
        registerPainlessExtensions();
        final OpenSearchRunner runner = new OpenSearchRunner();
        final CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final IOException | RuntimeException e) {
                System.err.println("OPENSEARCH_CLOSE_FAILED " + e);
            } finally {
                closed.countDown();
            }
        }, "medialake-opensearch-shutdown"));

        if (parentPid > 0) {
            watchParent(parentPid);
        }

        try {
            runner.onBuild((number, builder) -> {
                for (final Map.Entry<String, String> e : settings.entrySet()) {
                    if ("node.roles".equals(e.getKey())) {
                        builder.putList(e.getKey(), e.getValue().split(","));
                    } else {
                        builder.put(e.getKey(), e.getValue());
                    }
                }
            }).build(OpenSearchRunner.newConfigs()
                    .basePath(basePath.toString())
                    .numOfNode(1)
                    .clusterName(settings.get("cluster.name"))
                    .pluginTypes(KNN_PLUGIN)
                    .printOnFailure());

            // One node: replicas can never be assigned. cluster.default_number_of_replicas is read
            // from the cluster state (not node settings), so set it persistently: indices that do not
            // say number_of_replicas get 0 and go green.
            runner.client().admin().cluster().prepareUpdateSettings()
                    .setPersistentSettings(Settings.builder().put("cluster.default_number_of_replicas", 0).build())
                    .get();

            final Node node = runner.node();
            final int port = node.injector().getInstance(HttpServerTransport.class)
                    .boundAddress().publishAddress().getPort();
            final Path tmp = basePath.resolve("http.port.tmp");
            Files.write(tmp, Integer.toString(port).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("OPENSEARCH_READY http://" + settings.get("network.host") + ":" + port);
            System.out.flush();
        } catch (final Throwable t) {
            System.err.println("OPENSEARCH_START_FAILED");
            t.printStackTrace();
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
        closed.await();
    }

    /**
     * Classpath plugins get no SPI extensions (their PluginInfo extends nothing), so painless would
     * lack the k-NN functions (l2Squared, cosineSimilarity, ...) and ingest-common's processors
     * allowlist. PainlessPlugin keeps its allowlists in a static map: feed it every
     * PainlessExtension on the classpath, as a real install would, before the node starts.
     */
    private static void registerPainlessExtensions() {
        new PainlessPlugin().loadExtensions(new ExtensiblePlugin.ExtensionLoader() {
            @Override
            public <T> List<T> loadExtensions(final Class<T> extensionPointType) {
                final List<T> extensions = new ArrayList<>();
                ServiceLoader.load(extensionPointType, OpenSearchNode.class.getClassLoader())
                        .forEach(extensions::add);
                return extensions;
            }
        });
    }

    /** Exits (closing the node via the shutdown hook) once the launching process is gone. */
    private static void watchParent(final long pid) {
        final Thread watcher = new Thread(() -> {
            while (true) {
                final boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    System.err.println("OPENSEARCH_PARENT_GONE pid " + pid + ", shutting down");
                    System.exit(0);
                }
                try {
                    Thread.sleep(1000);
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }, "medialake-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
