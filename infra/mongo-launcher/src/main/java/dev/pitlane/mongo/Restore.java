package dev.pitlane.mongo;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.h2.mvstore.MVStore;

/**
 * Restores a pitlaneBackup .zip into an H2 store file (the launcher must not have that file open):
 * {@code java -cp mongo-launcher.jar dev.pitlane.mongo.Restore BACKUP.zip TARGET.mv.db}.
 * The copy is opened once before it replaces the target, so a damaged backup never replaces a good store.
 */
public final class Restore {
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Restore BACKUP.zip TARGET.mv.db");
            System.exit(2);
        }
        File target = new File(args[1]).getAbsoluteFile();
        File tmp = new File(target.getPath() + ".restoring.mv.db");
        target.getParentFile().mkdirs();
        boolean found = false;
        try (InputStream in = new FileInputStream(args[0]); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".mv.db")) {
                    Files.copy(zip, tmp.toPath(), StandardCopyOption.REPLACE_EXISTING);
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            System.err.println("restore: no .mv.db entry in " + args[0]);
            System.exit(1);
        }
        int maps;
        try (MVStore s = new MVStore.Builder().fileName(tmp.getPath()).readOnly().open()) {
            maps = s.getMapNames().size();
        }
        Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("restore: %s -> %s (%d maps, %d bytes)%n", args[0], target, maps, target.length());
    }
}
