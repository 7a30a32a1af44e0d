package dev.pitlane.mongo;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipOutputStream;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend on an MVStore the launcher opens itself, so that it decides when writes reach the file.
 * MVStore on its own commits about once a second: every write acknowledged since then is lost when the
 * process dies (kill -9, OOM killer). Two modes bound that:
 * <ul>
 *   <li>{@code ack}: a write command returns only after the store committed it (loss window zero);
 *       concurrent writers share one commit, since a commit covers everything written so far.</li>
 *   <li>{@code interval}: acknowledgements do not wait; a scheduler commits every N ms (window N ms).</li>
 * </ul>
 * A commit writes the chunk to the file (page cache), it does not fsync: a process crash loses nothing
 * committed, a power cut can. Admin commands: {@code pitlaneCommit} (force a commit) and
 * {@code pitlaneBackup: 1, to: "/abs/file.zip"} (commit, then H2's online backup of the whole store).
 */
final class DurableH2Backend extends H2Backend {
    /** Commands that change data; their acknowledgement waits for the commit in ack mode. */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify", "create",
            "createindexes", "drop", "dropindexes", "dropdatabase", "renamecollection");

    private final MVStore store;
    private final boolean commitOnAck;
    private final ScheduledExecutorService committer;

    private DurableH2Backend(MVStore store, boolean commitOnAck, int intervalMs) {
        super(store);
        this.store = store;
        this.commitOnAck = commitOnAck;
        if (intervalMs > 0) {
            committer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mvstore-committer");
                t.setDaemon(true);
                return t;
            });
            // fixed rate, not fixed delay: a slow commit does not push the next one further out
            committer.scheduleAtFixedRate(this::commitQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        } else {
            committer = null; // MVStore's own background commit (about 1 s) only: the old behaviour
        }
    }

    static DurableH2Backend open(File file, boolean commitOnAck, int intervalMs) {
        MVStore store = new MVStore.Builder().fileName(file.getPath()).open();
        return new DurableH2Backend(store, commitOnAck, intervalMs);
    }

    private void commitQuietly() {
        try {
            if (!store.isClosed() && store.hasUnsavedChanges()) store.commit();
        } catch (RuntimeException e) {
            System.err.println("mongo-launcher: background commit failed: " + e);
        }
    }

    @Override
    public Document handleCommand(Channel channel, String db, String command, Document query) {
        if ("admin".equals(db) && "pitlaneCommit".equals(command)) {
            store.commit();
            return new Document("ok", 1.0).append("version", store.getCurrentVersion());
        }
        if ("admin".equals(db) && "pitlaneBackup".equals(command)) return backup(query);
        boolean write = commitOnAck && WRITES.contains(command.toLowerCase(Locale.ROOT));
        try {
            return super.handleCommand(channel, db, command, query);
        } finally {
            // also after a failed write: an ordered insertMany may have stored a prefix before the error
            if (write) store.commit();
        }
    }

    /** Online copy of the whole store as of a fresh commit (H2's BACKUP: space reuse is paused while copying). */
    private synchronized Document backup(Document query) {
        Object to = query.get("to");
        if (!(to instanceof String path) || !new File(path).isAbsolute()) {
            throw new IllegalArgumentException("pitlaneBackup needs to: an absolute path for the .zip");
        }
        long t0 = System.nanoTime();
        File target = new File(path);
        File tmp = new File(path + ".part");
        try {
            File parent = target.getAbsoluteFile().getParentFile();
            if (parent != null) parent.mkdirs();
            store.commit(); // -1 when nothing was left to commit, hence the version read below
            long version = store.getCurrentVersion();
            try (OutputStream out = new FileOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
                store.getFileStore().backup(zip);
            }
            Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Document("ok", 1.0).append("to", target.getPath()).append("version", version)
                    .append("bytes", target.length()).append("ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            tmp.delete();
            throw new IllegalStateException("pitlaneBackup failed: " + e.getMessage(), e);
        }
    }

    /** Graceful stop: no more scheduled commits, then MVStore.close() commits what is left and closes the file. */
    @Override
    public void close() {
        if (committer != null) {
            committer.shutdown();
            try {
                committer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
    }
}
