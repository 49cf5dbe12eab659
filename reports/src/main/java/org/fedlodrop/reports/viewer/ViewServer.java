package org.fedlodrop.reports.viewer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.fedlodrop.reports.io.RunFiles;

/**
 * The replay viewer's server: the viewer page, and the run directory's files, read-only, on
 * 127.0.0.1 only. The page does the rest in the browser from those files alone (MASON's rule: the
 * model never depends on the viewer). The JDK's own HTTP server is enough for one local user.
 */
public final class ViewServer implements AutoCloseable {
    /** The files the page reads; nothing else of the directory is served. */
    public static final Set<String> SERVED = Set.of(RunFiles.ROUNDS, RunFiles.DEVICES, RunFiles.EVENTS,
            RunFiles.TOPOLOGY, RunFiles.SUMMARY, RunFiles.SCENARIO);
    private static final Map<String, String> TYPES = Map.of("csv", "text/csv; charset=utf-8",
            "jsonl", "application/x-ndjson; charset=utf-8", "json", "application/json; charset=utf-8",
            "yaml", "text/yaml; charset=utf-8");

    private final HttpServer server;

    private ViewServer(HttpServer server) {
        this.server = server;
    }

    /** Serves {@code runDirectory} on 127.0.0.1 at {@code port} (0: any free port). */
    public static ViewServer start(Path runDirectory, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!exchange.getRequestMethod().equals("GET")) {
                    send(exchange, 405, "text/plain", "only GET".getBytes());
                } else if (path.equals("/") || path.equals("/index.html")) {
                    try (InputStream page = ViewServer.class.getResourceAsStream("viewer.html")) {
                        send(exchange, 200, "text/html; charset=utf-8", page.readAllBytes());
                    }
                } else if (path.startsWith("/run/") && SERVED.contains(path.substring(5))) {
                    Path file = runDirectory.resolve(path.substring(5));
                    if (Files.isRegularFile(file)) {
                        String extension = file.getFileName().toString().replaceAll(".*\\.", "");
                        send(exchange, 200, TYPES.get(extension), Files.readAllBytes(file));
                    } else {
                        send(exchange, 404, "text/plain", ("no " + file.getFileName() + " in the run").getBytes());
                    }
                } else {
                    send(exchange, 404, "text/plain", "not found".getBytes());
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "fedlodrop-viewer");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new ViewServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
