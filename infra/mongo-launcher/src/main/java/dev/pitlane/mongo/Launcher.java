package dev.pitlane.mongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.File;
import java.util.List;

/**
 * MongoDB-compatible dev server. Args: --port=N --host=H --backend=memory|h2 --file=PATH
 * --durability=ack|interval --commit-interval-ms=N (env: PITLANE_MONGO_PORT/HOST/BACKEND/FILE/DURABILITY/
 * COMMIT_INTERVAL_MS). h2: see DurableH2Backend; commit-interval-ms=0 with durability=interval leaves
 * commits to MVStore's own ~1 s schedule (the old behaviour, for comparison only).
 */
public final class Launcher {
    /** Reports MongoDB 4.4 / wire version 9: the Node driver 7 (mongoose 9) rejects older servers. */
    enum Mongo44 implements MongoVersion {
        INSTANCE;
        @Override public List<Integer> getVersionArray() { return List.of(4, 4, 0); }
        @Override public int getWireVersion() { return 9; }
    }

    private static String opt(String[] args, String name, String env, String def) {
        for (String a : args) if (a.startsWith("--" + name + "=")) return a.substring(name.length() + 3);
        String v = System.getenv(env);
        return v != null && !v.isBlank() ? v : def;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", opt(args, "log-level", "PITLANE_MONGO_LOG_LEVEL", "warn"));
        int port = Integer.parseInt(opt(args, "port", "PITLANE_MONGO_PORT", "27017"));
        String host = opt(args, "host", "PITLANE_MONGO_HOST", "127.0.0.1");
        String backendName = opt(args, "backend", "PITLANE_MONGO_BACKEND", "memory");
        String file = opt(args, "file", "PITLANE_MONGO_FILE", "pitlane.mv.db");
        MongoBackend backend;
        switch (backendName) {
            case "memory" -> backend = new MemoryBackend();
            case "h2" -> {
                File f = new File(file).getAbsoluteFile();
                f.getParentFile().mkdirs();
                String durability = opt(args, "durability", "PITLANE_MONGO_DURABILITY", "ack");
                if (!durability.equals("ack") && !durability.equals("interval")) {
                    throw new IllegalArgumentException("unknown durability '" + durability + "' (ack|interval)");
                }
                int interval = Integer.parseInt(opt(args, "commit-interval-ms", "PITLANE_MONGO_COMMIT_INTERVAL_MS", "100"));
                DurableH2Backend h2 = DurableH2Backend.open(f, durability.equals("ack"), interval);
                backend = h2;
                backendName = "h2 " + f.getPath() + ", durability=" + durability + ", commit-interval-ms=" + interval;
            }
            default -> throw new IllegalArgumentException("unknown backend '" + backendName + "' (memory|h2)");
        }
        MongoServer server = new MongoServer(backend.version(Mongo44.INSTANCE));
        server.bind(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("mongo-launcher: shutting down");
            server.shutdown(); // closes the backend: H2 commits what is left and closes the file
            System.out.println("mongo-launcher: stopped, store closed");
        }, "mongo-launcher-shutdown"));
        System.out.printf("mongo-launcher: listening on %s:%d (backend=%s, version=%s, wire=%d, pid=%d)%n",
                host, port, backendName, Mongo44.INSTANCE.toVersionString(), Mongo44.INSTANCE.getWireVersion(),
                ProcessHandle.current().pid());
    }
}
